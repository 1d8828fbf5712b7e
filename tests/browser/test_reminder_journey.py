"""From a reminder email on a phone: one tap to the check-in, then a PHQ-9 and a journal entry.

The reminder link opens the check-in only (reminders/middleware.py). The confirmation page
offers to sign in for the questionnaire and the journal; the login form sends the patient
straight back there (docs/reminders.md, "After the check-in").
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftercare.reminders import tokens
from aftercare.tracking.models import CheckIn, JournalEntry, ScaleResponse
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import LoginPage, PatientHomePage, assert_stylesheets_loaded

pytestmark = pytest.mark.browser

MAX_CHECK_IN_SCREENS = 3  # issue "Daily tracking": the check-in takes at most 3 screens


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def check_page(page: Page) -> None:
    assert_stylesheets_loaded(page)
    no_sideways_scroll(page)
    assert_accessible(page)


def test_alice_checks_in_from_her_reminder_then_logs_in_for_phq9_and_journal(
    live_server, phone, alice, screenshot_dir
):
    today = timezone.now().astimezone(alice.tz).date()
    link = f"/r/{tokens.make_token(alice, today)}/"
    page = phone().new_page()
    screens: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and screens.append(frame.url))

    # Screen 1: the link lands on the check-in, no password asked.
    page.goto(link)
    expect(page).to_have_url(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    check_page(page)
    page.screenshot(path=screenshot_dir / "reminder-link-check-in-phone.png", full_page=True)
    PatientHomePage(page).check_in(mood=7, energy=6, note="Slept well after the walk.")

    # Screen 2: the confirmation.
    expect(page).to_have_url(f"{live_server.url}/r/done/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for checking in")
    check_page(page)
    screens_to_confirmation = len(screens)
    assert screens_to_confirmation <= MAX_CHECK_IN_SCREENS, screens
    entry = CheckIn.objects.get(patient=alice)
    assert (entry.mood, entry.energy, entry.note) == (7, 6, "Slept well after the walk.")
    assert entry.submission_key is not None

    # The link session ended; the PHQ-9 needs the password.
    page.get_by_role("link", name="Sign in to fill in your PHQ-9").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    check_page(page)
    LoginPage(page).log_in(alice.user.email, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/me/scales/phq9/")
    check_page(page)
    answers = ["Several days"] * 3 + ["Not at all"] * 6
    for number, label in enumerate(answers, start=1):
        group = page.locator("fieldset").filter(has=page.locator(".number", has_text=f"{number}."))
        group.locator("label.option", has_text=label).first.click()
    page.locator("fieldset").filter(has=page.locator(".number", has_text="10.")).locator(
        "label.option", has_text="Not difficult at all"
    ).first.click()
    page.get_by_role("button", name="See my score").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your PHQ-9 score")
    expect(page.locator(".score")).to_contain_text("3")
    check_page(page)
    assert ScaleResponse.objects.get(patient=alice).total == 3

    # The journal, from the home page's records card.
    PatientHomePage(page).open()
    page.get_by_role("link", name="Write in your journal").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/me/journal/new/")
    check_page(page)
    page.get_by_role("textbox", name="Your entry").fill(
        "The reminder came at the right time today."
    )
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/me/journal/")
    expect(page.get_by_text("Saved. Only you can read this entry.")).to_be_visible()
    check_page(page)
    page.screenshot(path=screenshot_dir / "reminder-journey-journal-phone.png", full_page=True)
    assert JournalEntry.objects.get(patient=alice).body == (
        "The reminder came at the right time today."
    )
    assert CheckIn.objects.filter(patient=alice).count() == 1


def test_the_journal_link_on_the_confirmation_leads_back_to_the_journal(live_server, phone, alice):
    today = timezone.now().astimezone(alice.tz).date()
    page = phone().new_page()
    page.goto(f"/r/{tokens.make_token(alice, today)}/")
    PatientHomePage(page).check_in(mood=5)
    expect(page).to_have_url(f"{live_server.url}/r/done/")
    page.get_by_role("link", name="Sign in to write in your journal").click()
    page.wait_for_load_state()
    LoginPage(page).log_in(alice.user.email, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/me/journal/new/")
    assert_accessible(page)
