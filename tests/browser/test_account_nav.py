"""On a 320 px phone, Alice finds her password and where to connect an app under "Your account"
at the foot of the page, and Dana, the clinic admin, the clinic's sign-in settings under "Your
clinic": no sideways scrolling, the current page marked, and each page passes an accessibility
scan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser


def follow_account_link(page: Page, name: str, nav: str = "Your account") -> None:
    account = page.get_by_role("navigation", name=nav)
    link = account.get_by_role("link", name=name)
    box = link.bounding_box()
    assert box is not None
    assert box["height"] >= 24  # WCAG 2.2 target size (minimum)
    link.click()
    expect(account.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")


def test_a_patient_and_a_clinic_admin_find_their_account_pages_on_a_phone(
    live_server, phone, log_in, alice, dana, screenshot_dir
):
    page = log_in(phone(), "alice@example.org")
    assert_stylesheets_loaded(page)
    expect(page.get_by_role("link", name="Sign-in settings")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Your clinic")).to_have_count(0)
    follow_account_link(page, "Change your password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "change-password-320.png", full_page=True)
    follow_account_link(page, "Connect an app")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect an app")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page = log_in(phone(), "dana@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    assert_no_horizontal_scroll(page)
    follow_account_link(page, "Sign-in settings", nav="Your clinic")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in codes")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "account-nav-admin-320.png", full_page=True)
    assert_accessible(page)
