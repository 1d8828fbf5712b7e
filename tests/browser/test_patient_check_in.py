"""A patient checks in from her phone; her clinician sees it on her record."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from aftercare.tracking.models import CheckIn
from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.pages import (
    LoginPage,
    PatientHomePage,
    PatientListPage,
    PatientRecordPage,
    assert_stylesheets_loaded,
)

pytestmark = pytest.mark.browser


def test_alice_checks_in_by_keyboard_on_phone_and_carol_sees_it(
    live_server, phone, desktop, log_in, alice, carol, screenshot_dir
):
    # Alice logs in through the real form on her phone and lands on her home page.
    page = phone().new_page()
    login = LoginPage(page).open()
    assert_stylesheets_loaded(page)
    assert_accessible(page)
    login.log_in("alice@example.org", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/me/")

    home = PatientHomePage(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    expect(home.phase_title).to_have_text("Before your first treatment")
    expect(home.recent_check_ins).to_have_count(0)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Mood by keyboard only: Tab into the group, then arrow keys to 7.
    home.choose_with_keyboard("mood", 7)
    focused = page.locator("label.option:has(input[name='mood'][value='7'])")
    expect(focused).to_have_css("outline-style", "solid")  # the focus can be seen
    # Energy by tapping its label.
    home.choose("energy", 5)
    expect(home.radio("mood", 7)).to_be_checked()
    expect(home.radio("energy", 5)).to_be_checked()
    home.submit()

    expect(page).to_have_url(f"{live_server.url}/me/")
    expect(home.messages).to_have_text("Thank you. Your check-in is saved.")
    expect(home.recent_check_ins.locator("tbody tr")).to_have_count(1)
    expect(home.recent_check_ins.locator("tbody td").nth(1)).to_have_text("7")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-home-phone.png", full_page=True)

    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.interest, entry.suicidal_thoughts) == (7, 5, None, None)

    # Carol, in a browser of her own, finds the check-in on Alice's record.
    staff_page = log_in(desktop(), carol.email)
    expect(staff_page).to_have_url(f"{live_server.url}/clinic/workspace/")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Patient list")
    assert_accessible(staff_page)
    staff_page.get_by_role(
        "link", name="Plain list of every patient with the last check-in"
    ).click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Patients")

    record = PatientListPage(staff_page).open_record("Archer, Alice")
    expect(staff_page).to_have_url(live_server.url + PatientRecordPage.path_for(alice.pk))
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Alice Archer")
    rows = record.check_in_rows()
    assert len(rows) == 1
    assert rows[0]["Mood"] == "7"
    assert rows[0]["Energy"] == "5"
    assert rows[0]["Anxiety"] == "—"
    assert_accessible(staff_page)
    staff_page.screenshot(path=screenshot_dir / "patient-record-desktop.png", full_page=True)


def test_check_in_without_mood_shows_error_beside_mood_and_keeps_answers(
    live_server, phone, log_in, alice, screenshot_dir
):
    page = log_in(phone(), "alice@example.org")
    home = PatientHomePage(page)
    expect(home.error_for("mood")).to_have_count(0)

    home.check_in(energy=5, note="Slept badly")

    expect(page).to_have_url(f"{live_server.url}/me/check-in/")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check these answers:")
    # The page opens on the errors, not on its top (on a phone they are screens down).
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    error = home.error_for("mood")
    expect(error).to_be_visible()
    expect(error).to_have_text("Choose a number from 1 to 10.")
    # The error is tied to the group for screen readers, and only mood has one.
    expect(home.group("mood")).to_have_attribute("aria-describedby", "id_mood_error")
    expect(error).to_have_id("id_mood_error")
    expect(page.locator(".error")).to_have_count(1)
    # Nothing she already answered is lost.
    expect(home.radio("energy", 5)).to_be_checked()
    expect(page.locator("input[name='mood']:checked")).to_have_count(0)
    expect(page.get_by_label("Anything else you want to note")).to_have_value("Slept badly")
    # The note's label says "(optional)" once, not twice.
    expect(page.locator("label[for='id_note']")).to_have_text(
        "Anything else you want to note (optional)"
    )
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-home-error-phone.png", full_page=True)
    assert not CheckIn.objects.filter(patient=alice).exists()

    # Correcting the answer saves both.
    home.choose("mood", 3)
    home.submit()
    expect(home.messages).to_have_text("Thank you. Your check-in is saved.")
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.note) == (3, 5, "Slept badly")


def test_site_stylesheet_is_served(phone):
    """Without site.css the focus ring, touch-sized answers and error colours all vanish."""
    page = phone().new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    LoginPage(page).open()
    assert_stylesheets_loaded(page)
    # The page's icon is served too: no request of the page fails (no /favicon.ico 404).
    icon = page.locator("link[rel='icon']").get_attribute("href")
    assert page.request.get(icon).headers["content-type"].startswith("image/svg+xml")
    page.wait_for_load_state("networkidle")
    assert missing == []


@pytest.mark.parametrize(("screen", "per_row"), [("phone", 5), ("tablet", 10)])
def test_scale_answers_fit_the_screen(request, live_server, screen, per_row, log_in, alice):
    page = log_in(request.getfixturevalue(screen)(), "alice@example.org")
    expect(page).to_have_url(f"{live_server.url}/me/")
    answers = PatientHomePage(page).group("mood").locator("label.option")
    expect(answers).to_have_count(10)
    boxes = [answers.nth(i).bounding_box() for i in range(10)]
    rows = {round(box["y"]) for box in boxes}
    assert len(rows) == 10 // per_row, f"{screen}: {per_row} answers a row expected, got {boxes}"
    for box in boxes:  # touch targets of at least 44 by 44 CSS pixels
        assert box["width"] >= 44, box
        assert box["height"] >= 44, box
    assert_no_horizontal_scroll(page)


def test_pages_with_word_choices_fit_a_phone(live_server, phone, log_in, alice):
    # Options in words (kind of habit, days of the week) wrap instead of sitting five to a row.
    page = log_in(phone(), "alice@example.org")
    for path in ("/me/care-plan/", "/me/reminders/"):
        page.goto(path)
        assert_accessible(page)  # includes: no wider than the screen
