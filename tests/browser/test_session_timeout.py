"""Before the idle sign-out, the page warns and offers to stay signed in (WCAG 2.2.1 Timing
Adjustable); once the time is up it says so. The browser's clock is moved on, not waited for."""

from __future__ import annotations

import pytest
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
