"""Carol, at her desk (1280 px), filters the patient list (updated in place by htmx), opens a
patient's timeline, reads it and signs a note; each page passes an accessibility scan."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.workspace.tests.data import treated_patient
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser


def test_a_clinician_filters_the_list_and_reads_a_timeline(
    live_server, desktop, log_in, riverside, carol, alice, bob, screenshot_dir
):
    now = timezone.now()
    treated_patient(riverside, now=now, last_name="Quinn", clinician=carol, alert="urgent")
    treated_patient(riverside, now=now, last_name="Rossi", check_in_days=0, booked_in_days=3)

    page = log_in(desktop(), "carol@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    assert_stylesheets_loaded(page)
    rows = page.locator(".patient-table tbody tr")
    expect(rows).to_have_count(4)
    page.screenshot(path=screenshot_dir / "workspace-list-1280.png", full_page=True)
    assert_accessible(page)

    # Filtering swaps the results in place (no full reload) and keeps the address shareable.
    page.evaluate("window.__stayed = true")
    page.get_by_label("Open alerts").select_option("urgent")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Quinn")
    assert page.evaluate("window.__stayed === true")
    expect(page).to_have_url(re.compile(r"/clinic/workspace/\?.*alerts=urgent"))

    # Sorting from a column heading, also in place.
    page.get_by_label("Open alerts").select_option("")
    expect(rows).to_have_count(4)
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page.locator("th[aria-sort='descending']")).to_have_count(1)
    expect(rows.first).to_contain_text("Rossi")
    assert page.evaluate("window.__stayed === true")

    page.get_by_role("link", name="Pat Quinn").click()
    expect(page.get_by_role("heading", name="Timeline of Pat Quinn")).to_be_visible()
    expect(page.get_by_role("img", name="Course of Pat Quinn")).to_be_visible()
    page.get_by_role("link", name="Last 30 days").click()
    expect(page.locator("a[aria-current='page']")).to_have_text("Last 30 days")
    page.get_by_label("Note", exact=True).fill("Stable; review after infusion 4.")
    page.get_by_role("button", name="Sign note").click()
    expect(page.locator(".note")).to_contain_text("Stable; review after infusion 4.")
    page.screenshot(path=screenshot_dir / "workspace-timeline-1280.png", full_page=True)
    assert_accessible(page)


def test_a_clinician_finds_a_fading_patient_and_plans_with_them(
    live_server, desktop, log_in, riverside, carol, alice, bob, monkeypatch, screenshot_dir
):
    from aftercare.outcomes.tests import helpers

    # Alice's benefit fades (outcomes/tests/helpers.py), placed so that today is day 60; Bob
    # stays flat.
    monkeypatch.setattr(helpers, "NOW", timezone.now())
    helpers.give_history(alice, by=carol, mood=helpers.fading)
    helpers.give_history(bob, by=carol, mood=helpers.flat)

    page = log_in(desktop(), "carol@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    rows = page.locator(".patient-table tbody tr")
    expect(rows).to_have_count(2)
    page.get_by_label("Trajectory").select_option(label="Gradual fade")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alice Archer")
    assert_accessible(page)

    rows.first.get_by_role("link", name="Alice Archer").click()
    expect(page.get_by_role("heading", name=re.compile("Trajectory: Gradual fade"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Care plan").click()
    page.get_by_label("Short-term").check()
    page.get_by_label("Goal", exact=True).fill("Walk with my sister twice a week")
    page.get_by_role("button", name="Add goal").click()
    expect(page.locator("#goals")).to_contain_text("Walk with my sister twice a week")
    page.screenshot(path=screenshot_dir / "workspace-care-plan-1280.png", full_page=True)
    assert_accessible(page)


def test_the_patient_list_and_a_session_fit_a_phone_and_tables_scroll_by_keyboard(
    live_server, phone, log_in, riverside, carol, alice, bob
):
    now = timezone.now()
    # A long name pushes the check-in column, with its sparkline's hidden text, off the screen
    # (absolutely placed: without a containing block it widened the page).
    long_name = "Quinnmontgomeryfitzwilliamcastellanos"
    quinn = treated_patient(
        riverside, now=now, last_name=long_name, clinician=carol, alert="urgent"
    )
    page = log_in(phone(), "carol@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    assert_accessible(page)  # the page itself is no wider than the phone
    box = page.get_by_role("region", name="Patients of this clinic", exact=False)
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider: it scrolls
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=box.element_handle(), timeout=5_000)

    # The session page wraps the long name (a single word) instead of widening the page.
    page.goto(f"/clinic/sessions/{quinn.infusions.first().pk}/")
    assert_accessible(page)


def test_on_a_phone_the_name_stays_in_view_while_the_table_scrolls(
    live_server, phone, log_in, riverside, carol, alice, bob, screenshot_dir
):
    treated_patient(riverside, now=timezone.now(), last_name="Quinn", alert="urgent")
    page = log_in(phone(), "carol@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    table = page.locator(".table-scroll")
    name = page.get_by_role("rowheader").filter(has_text="Pat Quinn")
    last_column = page.locator(".patient-table tbody tr").first.locator("td").last
    table.scroll_into_view_if_needed()
    table.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    expect(last_column).to_be_in_viewport()
    box = name.bounding_box()
    assert box is not None
    assert 0 <= box["x"] < 40  # still at the left edge, not scrolled away
    expect(name.get_by_role("link", name="Pat Quinn")).to_be_in_viewport()
    page.screenshot(path=screenshot_dir / "workspace-list-phone-scrolled.png", full_page=True)
    assert_accessible(page)
