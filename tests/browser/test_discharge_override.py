"""On a phone, a nurse discharges a patient before the observation time is over: the page names
the unmet check, she confirms it by its own box, gives the reason, and the discharge is signed
with it. Keyboard-reachable boxes, no sideways scrolling, axe clean."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from aftercare.treatment.models import Discharge
from aftercare.treatment.tests.records import add_round, book, run_until_end
from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_an_override_confirms_each_unmet_check_on_a_phone(
    live_server, phone, log_in, alice, carol, screenshot_dir
):
    end = datetime.now(ZoneInfo("UTC")) - timedelta(minutes=45)  # 45 of 60 min observed
    infusion = run_until_end(
        book(alice, carol, end - timedelta(minutes=60)),
        carol,
        arrived=end - timedelta(minutes=60),
        started=end - timedelta(minutes=40),
        ended=end,
        dose_mg_per_kg="0.5",
    )
    add_round(infusion, carol, end + timedelta(minutes=40))
    page = log_in(phone(), carol.email)
    page.goto(f"/clinic/sessions/{infusion.pk}/discharge/")
    for label in (
        "PADSS: pain, nausea or vomiting",
        "PADSS: bleeding (e.g. at the cannula site)",
        "PADSS: fluids taken and passed urine",
    ):
        page.get_by_label(label).select_option("2")
    page.get_by_label("Oriented to person, place and time").check()
    page.get_by_label("Walks steadily without help").check()
    page.get_by_label("Discharge instructions given and explained").check()
    page.get_by_label("Name of the adult taking them home").fill("Sam Archer")
    page.get_by_label("Their phone").fill("+1 555 0199")
    page.get_by_label("Adverse events during the session").fill("none")
    page.get_by_label("Override reason").fill("Alert, steady, partner is a nurse.")
    page.get_by_role("button", name="Sign the discharge").click()

    # Refused: the unmet check is named with its own box, and the reason is kept.
    box = page.get_by_label("Discharge although not met: Observed at least 60 min after the end")
    expect(box).not_to_be_checked()
    expect(page.locator("#confirm-observation-error")).to_contain_text("Not confirmed yet")
    expect(page.get_by_label("Override reason")).to_have_value("Alert, steady, partner is a nurse.")
    assert not Discharge.objects.exists()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "discharge-override-phone.png", full_page=True)

    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Sign the discharge").click()
    expect(page.get_by_text("Discharge signed.")).to_be_visible()
    discharge = Discharge.objects.get(infusion=infusion)
    assert [c["code"] for c in discharge.unmet] == ["observation"]
