"""Alice reports panic from her phone: the answer to her check-in tells her that her care team
knows and when they aim to look, what to do until then, and whom to call, the clinic first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftercare.safety.next_steps import TITLE
from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.pages import PatientHomePage

pytestmark = pytest.mark.browser


def test_panic_at_home_gets_next_steps_on_a_phone(
    live_server, phone, log_in, alice, screenshot_dir
):
    page = log_in(phone(), alice.user.email)
    expect(page).to_have_url(f"{live_server.url}/me/")
    home = PatientHomePage(page)
    home.choose("mood", 4)
    home.choose("panic", "yes")
    home.submit()
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text(str(TITLE))
    expect(page.get_by_role("alert")).to_contain_text("aims to look at this within 4 hours")
    expect(page.get_by_role("heading", name="Until then")).to_be_visible()
    clinic = page.get_by_role("link", name="Call your clinic: +1 555 0100")
    expect(clinic).to_be_visible()
    box = clinic.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    expect(page.get_by_role("link", name="Back to today")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "next-steps-phone.png", full_page=True)
