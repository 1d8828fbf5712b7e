"""Before the idle sign-out, the page warns and offers to stay signed in (WCAG 2.2.1 Timing
Adjustable); once the time is up it says so. The browser's clock is moved on, not waited for."""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_a_patient_is_warned_and_stays_signed_in(
    live_server, phone, log_in, alice, settings, screenshot_dir
):
    settings.SESSION_IDLE_MINUTES = 30
    page = log_in(phone(), "alice@example.org")
    page.clock.install()
    page.goto("/me/")
    warning = page.locator("#session-warning")
    expect(warning).to_be_hidden()

    page.clock.fast_forward("28:30")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("you will be signed out in a moment")
    page.screenshot(path=screenshot_dir / "session-warning-phone.png", full_page=False)
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    page.clock.fast_forward("31:00")  # nothing done for longer than the idle time
    expect(warning).to_contain_text("You have been signed out after a while without activity")


def test_typing_a_long_entry_counts_as_activity(live_server, phone, log_in, alice, settings):
    settings.SESSION_IDLE_MINUTES = 30
    page = log_in(phone(), "alice@example.org")
    page.clock.install()
    page.goto("/me/journal/new/")
    page.locator("textarea").first.fill("Writing slowly")
    page.locator("textarea").first.press("End")
    with page.expect_request(lambda r: r.url.endswith("/accounts/keepalive/")) as request:
        page.clock.fast_forward("01:05")
    assert request.value.method == "POST"


def _idle_for(page, minutes: int) -> None:
    """Move the server's idle clock of this browser's session back (it reads real time)."""
    from django.contrib.sessions.backends.db import SessionStore

    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    store = SessionStore(session_key=key)
    store["last_seen"] = store["last_seen"] - minutes * 60
    store.save()


def test_a_journal_entry_sent_after_the_sign_out_is_kept_and_sent(
    live_server, phone, alice, settings, screenshot_dir
):
    from tests.browser.pages import LoginPage

    settings.SESSION_IDLE_MINUTES = 30
    page = phone().new_page()
    LoginPage(page).open().log_in("alice@example.org", PASSWORD)
    page.goto("/me/journal/new/")
    page.get_by_role("textbox", name="Your entry").fill("Written slowly over the evening.")
    _idle_for(page, 31)
    with page.expect_navigation():
        page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("It is kept: sign in to send it.")).to_be_visible()
    LoginPage(page).log_in("alice@example.org", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not sent yet")
    expect(page.locator("blockquote")).to_have_text("Written slowly over the evening.")
    page.screenshot(path=screenshot_dir / "unsent-phone.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Send it now").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved. Only you can read this entry.")
