"""A nurse checks "In the chair now" on a phone (390 px wide): the board and the session page fit
the screen without scrolling sideways, pass axe, and the board refreshes its list in place."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from tests.browser import conftest as browser
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import assert_stylesheets_loaded

from aftercare.treatment import actions
from aftercare.treatment.tests.records import add_round, book, run_until_end

pytestmark = pytest.mark.browser

# The browser tests' own fixtures (tests/browser/conftest.py): Debian's Chromium, the live
# server with real commits, signing in through the form.
browser_type_launch_args = browser.browser_type_launch_args
_live_database = browser._live_database
base_url = browser.base_url
log_in = browser.log_in
screenshot_dir = browser.screenshot_dir

NEW_YORK = ZoneInfo("America/New_York")  # Riverside's zone

PHONE_390 = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


# Anything the Content-Security-Policy blocks (htmx included) is collected here.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


@pytest.fixture
def phone_390(new_context) -> Callable[[], BrowserContext]:
    def make() -> BrowserContext:
        context = new_context(**PHONE_390)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        return context

    return make


def check(page: Page) -> None:
    assert_stylesheets_loaded(page)
    assert_accessible(page)  # no sideways scrolling of the page, no serious axe violation
    assert page.evaluate("window.__csp") == []


def test_the_board_and_the_session_fit_a_phone(
    live_server, phone_390, log_in, alice, bob, carol, screenshot_dir
):
    now = timezone.now()
    arrived = now - timedelta(minutes=100)
    recovering = run_until_end(
        book(alice, carol, arrived),
        carol,
        arrived=arrived,
        started=arrived + timedelta(minutes=10),
        ended=arrived + timedelta(minutes=50),
    )
    add_round(recovering, carol, arrived + timedelta(minutes=55), spo2_pct=90)
    page = log_in(phone_390(), carol.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="In the chair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("In the chair now")
    card = page.locator(".chair-card", has=page.get_by_role("link", name="Alice Archer"))
    expect(card).to_contain_text("Recovering")
    expect(card).to_contain_text("Overdue")  # the last round was 45 min ago
    expect(card).to_contain_text("SpO₂ 90 % is below 92 %.")
    check(page)
    page.screenshot(path=screenshot_dir / "chair-390.png", full_page=True)

    # Bob arrives; the list refreshes itself in place (asked for now instead of in a minute).
    waiting = book(bob, carol, now)
    actions.record_arrival(infusion=waiting, at=timezone.now(), by=carol)
    page.evaluate(
        "htmx.ajax('GET', '/clinic/chair/?refresh=1', {target: '#chair-board', swap: 'outerHTML'})"
    )
    expect(page.get_by_role("link", name="Bob Baker")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("#chair-board")).to_have_attribute("hx-get", "/clinic/chair/?refresh=2")
    check(page)

    # The session page: its observations table says it scrolls sideways, inside its own box.
    page.get_by_role("link", name="Alice Archer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session: Alice Archer")
    expect(page.get_by_text("Recovering, dose ended")).to_be_visible()
    expect(page.get_by_text("scroll the table sideways")).to_be_visible()
    check(page)
    page.screenshot(path=screenshot_dir / "chair-session-390.png", full_page=True)

    # Signed out meanwhile: the next refresh opens the sign-in page instead of filling the list.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("In the chair now")
    page.context.clear_cookies()
    page.evaluate(
        "htmx.ajax('GET', '/clinic/chair/?refresh=3', {target: '#chair-board', swap: 'outerHTML'})"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page = log_in(page.context, carol.email)

    # The schedule says where each session stands, not "Completed" before the discharge.
    # (Opened at the day of the arrival: before 01:40 in New York that was yesterday.)
    page.goto(f"/clinic/schedule/?start={arrived.astimezone(NEW_YORK).date().isoformat()}")
    row = page.get_by_role("row", name=re.compile("Alice Archer"))
    expect(row).to_contain_text("Recovering, dose ended")
    expect(row).not_to_contain_text("Completed")
    check(page)
