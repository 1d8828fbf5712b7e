"""A nurse runs a session on a tablet, from arrival to discharge; the driver confirms arrival.

The monitoring round is entered with the keyboard only. Every page is scanned with axe.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from aftercare.treatment.models import ArrivalConfirmation, Discharge, Infusion
from aftercare.treatment.tests.records import book
from tests.browser.accessibility import assert_accessible, axe_violations, describe
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser

NEW_YORK = ZoneInfo("America/New_York")  # Riverside's zone: the times a nurse types


def local(minutes_ago: int) -> str:
    """A clinic-time value for a datetime-local input."""
    at = datetime.now(NEW_YORK) - timedelta(minutes=minutes_ago)
    return at.strftime("%Y-%m-%dT%H:%M")


def assert_fits(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


class SessionPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def check(self) -> None:
        assert_stylesheets_loaded(self.page)
        assert_fits(self.page)
        assert_accessible(self.page)

    def submit(self, button: str) -> None:
        self.page.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()

    @property
    def message(self):
        return self.page.get_by_role("status")

    def focused_name(self) -> str:
        return self.page.evaluate("document.activeElement && document.activeElement.name") or ""

    def tab_to(self, name: str, *, max_tabs: int = 80) -> None:
        """Press Tab until the field called ``name`` has the focus."""
        for _ in range(max_tabs):
            if self.focused_name() == name:
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {name!r}")

    def type_next(self, name: str, text: str) -> None:
        """Tab to the next field (a date-time field takes a Tab per part), which must be
        ``name``, and type into it."""
        current = self.focused_name()
        for _ in range(8):
            self.page.keyboard.press("Tab")
            if self.focused_name() != current:
                break
        assert self.focused_name() == name, f"expected {name}, focus is on {self.focused_name()}"
        self.page.keyboard.type(text)


def test_a_nurse_runs_a_session_from_arrival_to_discharge_on_a_tablet(
    live_server, tablet, phone, log_in, alice, carol, screenshot_dir
):
    infusion = book(alice, carol, datetime.now(NEW_YORK) - timedelta(minutes=135))
    page = log_in(tablet(), carol.email)
    session = SessionPage(page)

    # The schedule, from the main navigation, lists today's appointment.
    page.get_by_role("link", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule")
    booked_day = infusion.scheduled_at.astimezone(NEW_YORK).date()
    if booked_day != datetime.now(NEW_YORK).date():
        # Before 02:15 in New York the appointment (135 min ago) was yesterday: open that day.
        page.goto(f"/clinic/schedule/?start={booked_day.isoformat()}")
    session.check()
    page.get_by_role("link", name=re.compile("session of Alice Archer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session: Alice Archer")
    expect(page.locator(".steps [aria-current='step']")).to_have_text("Arrival")
    session.check()

    # Arrival, pre-dose observations, start and end (times typed in clinic time).
    page.get_by_label("Arrival time").fill(local(130))
    session.submit("Record arrival")
    expect(session.message).to_have_text("Arrival recorded.")
    page.get_by_label("Weight today (kg)").fill("72.4")
    page.get_by_label("Dose (mg/kg)").fill("0.5")
    page.get_by_label("Time of the observations").fill(local(125))
    page.get_by_label("Blood pressure, systolic (mmHg)").fill("124")
    page.get_by_label("Blood pressure, diastolic (mmHg)").fill("78")
    page.get_by_label("Heart rate (beats/min)").fill("74")
    page.get_by_label("SpO₂ (%)").fill("98")
    page.get_by_label("Respiratory rate (breaths/min)").fill("14")
    session.check()
    session.submit("Save pre-dose observations")
    expect(session.message).to_have_text("Pre-dose observations saved.")
    session.check()
    page.get_by_label("Start time").fill(local(120))
    session.submit("Record the start")
    page.get_by_label("End time").fill(local(80))
    session.submit("Record the end")
    expect(session.message).to_contain_text("End recorded.")
    expect(page.get_by_text("0.5 mg/kg × 72.4 kg = 36.2 mg")).to_be_visible()
    session.check()

    # A monitoring round by keyboard only. A slip (SpO2 "9") is explained beside the field,
    # and nothing typed is lost.
    page.locator("#round-title").scroll_into_view_if_needed()
    session.tab_to("round-taken_at")
    session.type_next("round-systolic_mmhg", "128")
    session.type_next("round-diastolic_mmhg", "80")
    session.type_next("round-heart_rate_bpm", "76")
    session.type_next("round-spo2_pct", "9")
    session.type_next("round-respiratory_rate", "15")
    session.type_next("round-moaas", "5")
    session.type_next("round-dissociation", "1")
    session.type_next("round-nausea", "0")
    session.type_next("round-notes", "Chatting, drinking water.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save round")).to_be_focused()
    expect(page.locator("button:focus")).to_have_css("outline-style", "solid")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("alert")).to_contain_text("Please check these answers:")
    error = page.locator("#id_round-spo2_pct_error")
    expect(error).to_have_text("Enter a whole number from 50 to 100 %.")
    expect(page.get_by_label("SpO₂ (%)")).to_have_value("9")
    expect(page.get_by_label("Blood pressure, systolic (mmHg)")).to_have_value("128")
    expect(page.get_by_label("Sedation (MOAA/S)")).to_have_value("5")
    expect(page.get_by_label("Dissociation (clinician rating 0–4)")).to_have_value("1")
    expect(page.get_by_label("Notes")).to_have_value("Chatting, drinking water.")
    session.check()
    page.screenshot(path=screenshot_dir / "session-round-error-tablet.png", full_page=True)

    session.tab_to("round-spo2_pct")
    page.keyboard.press("End")
    page.keyboard.type("7")
    expect(page.get_by_label("SpO₂ (%)")).to_have_value("97")
    for _ in range(6):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save round")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(session.message).to_have_text("Round saved.")
    table = page.get_by_role("table", name="Observations, oldest first")
    rows = table.locator("tbody tr:not(.round-notes)")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("128/80")
    # The round's note sits in a full-width row under its values.
    expect(table.locator("tbody tr.round-notes td")).to_contain_text("Chatting, drinking water.")
    expect(page.locator(".checklist li.unmet")).to_have_count(0)
    session.check()
    # Not even a moderate finding: the observations' scroll box is named apart from its
    # section (two landmarks both named "Observations" before).
    assert [describe(v) for v in axe_violations(page)] == []
    page.screenshot(path=screenshot_dir / "session-tablet.png", full_page=True)

    # The discharge checklist.
    page.get_by_role("link", name="Open the discharge checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discharge: Alice Archer")
    expect(page.get_by_label("PADSS: vital signs")).to_have_value("2")  # suggested
    page.get_by_label("PADSS: pain, nausea or vomiting").select_option("2")
    page.get_by_label("PADSS: bleeding (e.g. at the cannula site)").select_option("2")
    page.get_by_label("PADSS: fluids taken and passed urine").select_option("2")
    page.get_by_label("Oriented to person, place and time").check()
    page.get_by_label("Walks steadily without help").check()
    page.get_by_label("Discharge instructions given and explained").check()
    page.get_by_label("Name of the adult taking them home").fill("Sam Archer")
    page.get_by_label("Their phone").fill("+1 555 0199")
    page.get_by_label("Adverse events during the session").fill("none")
    session.check()
    page.screenshot(path=screenshot_dir / "discharge-checklist-tablet.png", full_page=True)
    session.submit("Sign the discharge")
    expect(session.message).to_have_text("Discharge signed.")
    expect(page.get_by_text("Not confirmed yet")).to_be_visible()
    session.check()
    page.screenshot(path=screenshot_dir / "session-discharged-tablet.png", full_page=True)
    discharge = Discharge.objects.get(infusion=infusion)
    assert (discharge.padss_total, discharge.unmet, discharge.signed_by) == (10, [], carol)
    infusion.refresh_from_db()
    assert infusion.status == Infusion.Status.COMPLETED

    # The discharge sheet.
    driver_link = page.get_by_label(re.compile("Link for the adult taking them home")).input_value()
    page.get_by_role("link", name="Discharge instructions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("After your treatment today")
    expect(page.get_by_role("img", name=re.compile("QR code for"))).to_be_visible()
    session.check()
    page.screenshot(path=screenshot_dir / "discharge-sheet-tablet.png", full_page=True)

    # The driver opens the link on a phone and confirms they are home.
    driver_page = phone().new_page()
    driver_page.goto(driver_link.replace("http://testserver", live_server.url))
    expect(driver_page.get_by_role("heading", level=1)).to_have_text("Taking Alice home")
    assert_fits(driver_page)
    assert_accessible(driver_page)
    driver_page.get_by_role("button", name="Alice is home").click()
    expect(driver_page.get_by_role("status")).to_contain_text("arrived home")
    assert_accessible(driver_page)
    driver_page.screenshot(path=screenshot_dir / "driver-sheet-phone.png", full_page=True)
    assert ArrivalConfirmation.objects.get().confirmed_by_name == "Sam Archer"

    page.goto(f"/clinic/sessions/{infusion.pk}/")
    expect(page.get_by_text(re.compile("Confirmed by Sam Archer at"))).to_be_visible()


def test_a_nurse_plans_an_induction_series_on_a_tablet(live_server, tablet, log_in, alice, carol):
    page = log_in(tablet(), carol.email)
    screen = SessionPage(page)
    page.goto(f"/clinic/patients/{alice.pk}/")
    page.get_by_role("link", name="Plan a course or boosters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan a course for Alice Archer")
    screen.check()
    page.get_by_label("Number of appointments").fill("6")
    page.get_by_role("button", name="Propose a schedule").click()
    rows = page.locator("input[name$='-scheduled_at']")
    expect(rows).to_have_count(6)
    screen.check()
    page.get_by_label("Keep appointment 6").uncheck()
    page.get_by_role("button", name="Book these appointments").click()
    expect(screen.message).to_have_text("Induction series booked: 5 appointments.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule of Alice Archer")
    expect(page.get_by_role("link", name=re.compile("session of Alice Archer"))).to_have_count(5)
    screen.check()
    assert Infusion.objects.filter(patient=alice, status="scheduled").count() == 5


def test_a_weight_far_from_the_last_one_is_read_again_on_a_phone(
    live_server, phone, log_in, alice, carol, screenshot_dir
):
    from decimal import Decimal

    from aftercare.treatment.actions import record_infusion

    last_week = datetime.now(NEW_YORK) - timedelta(days=7)
    record_infusion(
        patient=alice,
        recorded_by=carol,
        started_at=last_week,
        ended_at=last_week + timedelta(minutes=40),
        route="iv",
        dose_mg_per_kg=Decimal("0.5"),
        weight_kg=Decimal("85"),
    )
    infusion = book(alice, carol, datetime.now(NEW_YORK) - timedelta(minutes=20))
    page = log_in(phone(), carol.email)
    page.goto(f"/clinic/sessions/{infusion.pk}/")
    session = SessionPage(page)
    page.get_by_label("Arrival time").fill(local(15))
    session.submit("Record arrival")
    page.get_by_label("Weight today (kg)").fill("58")
    page.get_by_label("Dose (mg/kg)").fill("0.5")
    page.get_by_label("Time of the observations").fill(local(10))
    page.get_by_label("Blood pressure, systolic (mmHg)").fill("124")
    page.get_by_label("Blood pressure, diastolic (mmHg)").fill("78")
    page.get_by_label("Heart rate (beats/min)").fill("74")
    page.get_by_label("SpO₂ (%)").fill("98")
    page.get_by_label("Notes").fill("Anxious before the dose; we talked it through at length.")
    expect(page.get_by_label("The weight is right: I have checked it")).to_have_count(0)
    session.submit("Save pre-dose observations")

    expect(page.locator("#id_predose-weight_kg_error")).to_contain_text(
        "58 kg is 32 % less than the 85.0 kg recorded on"
    )
    expect(page.get_by_label("Weight today (kg)")).to_have_value("58")
    expect(page.get_by_label("SpO₂ (%)")).to_have_value("98")
    session.check()
    page.screenshot(path=screenshot_dir / "session-weight-question-phone.png", full_page=True)
    page.get_by_label("The weight is right: I have checked it").check()
    session.submit("Save pre-dose observations")
    expect(session.message).to_have_text("Pre-dose observations saved.")
    infusion.refresh_from_db()
    assert infusion.weight_kg == Decimal("58")
    # The round's note wraps within the phone's width, though the table scrolls sideways.
    note = page.locator("tr.round-notes .round-notes-text")
    note.scroll_into_view_if_needed()
    box = note.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= page.viewport_size["width"]
