"""A warning sign reaches a human: Alice reports suicidal thoughts from her phone, by keyboard,
sees whom to call at once; Carol acknowledges the alert; Alice's page shows it was seen."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect

from aftercare.safety import wording
from aftercare.safety.models import Alert
from aftercare.tracking.models import CheckIn
from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.pages import LoginPage, PatientHomePage, assert_stylesheets_loaded

pytestmark = pytest.mark.browser


def tab_to(page: Page, test: str, *, max_tabs: int = 80) -> None:
    """Press Tab until the focused element passes a JavaScript test on `el`."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({test}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_suicidal_thoughts_reach_the_care_team_and_the_patient_sees_help_at_once(
    live_server, phone, desktop, log_in, alice, carol, screenshot_dir
):
    # Alice, on her phone, logs in and answers the check-in with the keyboard only.
    page = phone().new_page()
    page.goto("/accounts/login/", timeout=60_000)  # the server's first answer can be slow
    LoginPage(page).open().log_in("alice@example.org", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/me/")
    assert_stylesheets_loaded(page)

    tab_to(page, "el.name === 'mood'")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    expect(page.locator("input[name='mood'][value='3']")).to_be_checked()

    tab_to(page, "el.name === 'suicidal_thoughts'")
    yes = page.locator("input[name='suicidal_thoughts'][value='yes']")
    for _ in range(3):
        if yes.is_checked():
            break
        page.keyboard.press("ArrowRight")
    expect(yes).to_be_checked()

    tab_to(page, "el.type === 'submit' && el.textContent.includes('Save check-in')")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # The crisis screen is the answer to that very submission: same URL, no other request.
    expect(page).to_have_url(f"{live_server.url}/me/check-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(wording.URGENT_TITLE))
    screen = page.get_by_role("alert")
    expect(screen).to_contain_text(str(wording.URGENT_REASONS["suicidal_thoughts"]))
    expect(screen).to_contain_text(str(wording.CARE_TEAM_TOLD))
    call_988 = page.get_by_role("link", name="Call 988 — 988 Suicide & Crisis Lifeline")
    expect(call_988).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(page.get_by_role("link", name="Call your clinic: +1 555 0100")).to_be_visible()
    expect(page.get_by_role("link", name="Call 911 (emergency)")).to_have_attribute(
        "href", "tel:911"
    )
    box = call_988.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    # The 988 link is reachable with the keyboard and shows its focus.
    page.locator("body").focus()
    tab_to(page, "el.getAttribute('href') === 'tel:988'")
    expect(call_988).to_be_focused()
    expect(call_988).to_have_css("outline-style", "solid")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "crisis-screen-phone.png", full_page=True)

    assert CheckIn.objects.get(patient=alice).suicidal_thoughts is True
    alert = Alert.objects.get(patient=alice)
    assert (alert.severity, alert.status, alert.owner) == ("urgent", "open", carol)

    # Carol sees it at the top of her alert list and acknowledges it.
    staff = log_in(desktop(), carol.email)
    staff.get_by_role("link", name="Alerts", exact=True).click()
    expect(staff).to_have_url(f"{live_server.url}/clinic/alerts/")
    waiting = staff.get_by_role("table", name="Alerts waiting for acknowledgement")
    first_row = waiting.locator("tbody tr").first
    expect(first_row).to_contain_text("Urgent")
    expect(first_row).to_contain_text("Archer, Alice")
    expect(first_row).to_contain_text("Thoughts of suicide or self-harm")
    assert_accessible(staff)
    staff.screenshot(path=screenshot_dir / "alert-list-desktop.png", full_page=True)

    first_row.get_by_role("link", name="Thoughts of suicide or self-harm").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Thoughts of suicide")
    assert_accessible(staff)
    staff.get_by_role("button", name="Acknowledge").click()
    expect(staff.get_by_role("status")).to_contain_text("Acknowledged")
    staff.screenshot(path=screenshot_dir / "alert-detail-desktop.png", full_page=True)
    staff.goto("/clinic/safety-settings/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Safety settings")
    assert_accessible(staff)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", carol)

    # Alice's page now says her care team saw it.
    page.goto("/me/")
    expect(page.locator(".alert-status")).to_contain_text("your care team saw it at")
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-seen-phone.png", full_page=True)


def test_the_safety_plan_is_one_tap_away_and_prints_without_the_page_chrome(
    live_server, phone, log_in, alice, screenshot_dir
):
    page = log_in(phone(), "alice@example.org")
    page.get_by_role("link", name="Safety plan").click()
    expect(page).to_have_url(f"{live_server.url}/me/safety-plan/")
    page.get_by_role("link", name="Edit my plan").click()
    page.get_by_label("My early warning signs").fill("Sleeping past noon")
    page.get_by_label("People and numbers I can call").fill("Sam 555 0199")
    page.get_by_role("button", name="Save plan").click()
    expect(page).to_have_url(f"{live_server.url}/me/safety-plan/")
    expect(page.get_by_text("Sleeping past noon")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by print.js
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.goto("/me/concern/")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(wording.CONCERN_BUTTON))
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.goto("/me/safety-plan/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_text("Sam 555 0199")).to_be_visible()
    page.screenshot(path=screenshot_dir / "safety-plan-print.png", full_page=True)


def test_crisis_words_in_a_note_show_help_before_and_after_saving(
    live_server, phone, log_in, alice
):
    page = log_in(phone(), "alice@example.org")
    home = PatientHomePage(page)
    words = "Honestly everyone would be better off dead without me"
    home.check_in(note=words)  # no mood: the form comes back with an error
    help_box = page.locator(".unsaved-urgent")
    expect(help_box).to_contain_text(str(wording.UNSAVED_CHECK_IN_WORDS))
    # The page opens on that help, above the errors, not at its top.
    expect(help_box).to_be_focused()
    expect(help_box).to_be_in_viewport()
    expect(
        help_box.get_by_role("link", name="Call 988 — 988 Suicide & Crisis Lifeline")
    ).to_be_visible()
    expect(page.get_by_label("Anything else you want to note")).to_have_value(words)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    home.choose("mood", 3)
    home.submit()
    screen = page.get_by_role("alert")
    expect(screen.get_by_role("heading", level=1)).to_have_text(str(wording.WORDS_TITLE))
    expect(screen).to_contain_text(str(wording.WORDS_REASON))
    expect(screen).to_contain_text(str(wording.CARE_TEAM_TOLD))
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    (alert,) = Alert.objects.filter(patient=alice)  # the unsaved one, taken over by the check-in
    assert (alert.rule_id, alert.source_id) == (
        "note_crisis_language",
        str(CheckIn.objects.get(patient=alice).pk),
    )


def test_a_private_entry_with_crisis_words_offers_help_and_sharing(
    live_server, phone, log_in, alice
):
    page = log_in(phone(), "alice@example.org")
    page.goto("/me/journal/new/")
    page.get_by_role("textbox", name="Your entry").fill("I keep thinking about suicide.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(wording.WORDS_TITLE))
    expect(page.get_by_text(str(wording.WORDS_PRIVATE))).to_be_visible()
    expect(page.get_by_text(str(wording.CARE_TEAM_TOLD))).to_have_count(0)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="Share this entry").click()
    page.get_by_label("Share this entry with my care team").check()
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("alert")).to_contain_text(str(wording.CARE_TEAM_TOLD))
    assert Alert.objects.get(patient=alice).rule_id == "journal_crisis_language"
