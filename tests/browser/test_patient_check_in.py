"""A patient checks in from her phone; her clinician sees it on her record."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from aftercare.tracking.models import CheckIn
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import LoginPage, PatientHomePage, PatientListPage, PatientRecordPage

pytestmark = pytest.mark.browser


def assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_alice_checks_in_by_keyboard_on_phone_and_carol_sees_it(
    phone, desktop, log_in, alice, carol, screenshot_dir
):
    # Alice logs in through the form on her phone.
    page = phone().new_page()
    login = LoginPage(page).open()
    assert_accessible(page)
    login.log_in("alice@example.org", "correct-horse-battery")
    expect(page).to_have_url(f"{page.context.pages[0].url.split('/me/')[0]}/me/")

    home = PatientHomePage(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Alice")
    expect(home.phase_title).to_have_text("Before your first treatment")
    expect(home.recent_check_ins).to_have_count(0)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Mood by keyboard only: Tab into the group, arrow keys to 7.
    home.choose_with_keyboard("mood", 7)
    focused_label = page.locator("label.option:has(input[name='mood'][value='7'])")
    expect(focused_label).to_have_css("outline-style", "solid")  # focus is visible
    # Energy by tapping its label.
    home.choose("energy", 5)
    expect(home.radio("energy", 5)).to_be_checked()
    expect(home.radio("mood", 7)).to_be_checked()
    home.submit()

    expect(page).to_have_url(f"{phone_base(page)}/me/")
    expect(home.messages).to_have_text("Thank you. Your check-in is saved.")
    expect(home.recent_check_ins).to_be_visible()
    expect(home.recent_check_ins.locator("tbody tr")).to_have_count(1)
    expect(home.recent_check_ins.locator("tbody td").nth(1)).to_have_text("7")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-home-phone.png", full_page=True)

    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.interest) == (7, 5, None)

    # Carol, in a browser of her own, finds Alice's check-in on her record.
    staff_page = log_in(desktop(), "carol@example.org")
    expect(staff_page).to_have_url(f"{phone_base(staff_page)}/clinic/patients/")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Patients")
    assert_accessible(staff_page)

    record = PatientListPage(staff_page).open_record("Archer, Alice")
    expect(staff_page).to_have_url(f"{phone_base(staff_page)}{PatientRecordPage.path_for(alice.pk)}")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Alice Archer")
    rows = record.check_in_rows()
    assert len(rows) == 1
    assert rows[0]["Mood"] == "7"
    assert rows[0]["Energy"] == "5"
    assert rows[0]["Anxiety"] == "—"
    assert_accessible(staff_page)
    staff_page.screenshot(path=screenshot_dir / "patient-record-desktop.png", full_page=True)


def phone_base(page: Page) -> str:
    """The live server's origin, as the page sees it."""
    return page.evaluate("location.origin")
