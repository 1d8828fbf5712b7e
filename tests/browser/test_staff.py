"""On a 320 px phone, Dana, the clinic admin, finds the staff accounts, invites a nurse (after
a mistyped email, explained beside the field with what she typed kept) and deactivates Carol's
account, handing Carol's patients to herself (the nurse cannot take them before she signs
in). No sideways scrolling, no axe finding."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_horizontal_scroll, axe_violations, describe

pytestmark = pytest.mark.browser


def test_the_admin_invites_a_nurse_and_deactivates_a_leaver_on_a_phone(
    live_server, phone, log_in, dana, carol, alice, screenshot_dir
):
    page = log_in(phone(), "dana@example.org")
    page.goto("/clinic/settings/", timeout=60_000)
    page.get_by_role("navigation", name="More settings").get_by_role(
        "link", name="Staff accounts"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(page.get_by_role("row", name="Carol Chen")).to_contain_text("Active")
    assert_no_horizontal_scroll(page)
    assert [describe(v) for v in axe_violations(page)] == []

    page.get_by_role("link", name="Invite a staff member").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Novak")
    page.get_by_label("Work email").fill("nia at riverside")
    page.get_by_label("Clinician: patients, sessions, alerts, outcomes").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#id_email_error")).to_contain_text("Enter an email address")
    expect(page.get_by_label("First name")).to_have_value("Nia")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "staff-invite-error-320.png", full_page=True)
    assert [describe(v) for v in axe_violations(page)] == []
    page.get_by_label("Work email").fill("nia@riverside.example")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nia@riverside.example.")

    page.goto("/clinic/staff/")
    expect(page.get_by_role("row", name="Nia Novak")).to_contain_text("Invited, not accepted yet")
    page.get_by_role("link", name="Carol Chen").click()
    page.get_by_label("Deactivated: cannot sign in; their records stay").check()
    page.get_by_label("When deactivated, their patients and open alerts go to").select_option(
        label="Dana Diaz (Clinic admin)"
    )
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("1 patient now with Dana Diaz")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=screenshot_dir / "staff-member-320.png", full_page=True)
    assert [describe(v) for v in axe_violations(page)] == []
    alice.refresh_from_db()
    assert alice.clinician.first_name == "Dana"
