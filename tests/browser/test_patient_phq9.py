"""A patient fills in a PHQ-9 on her phone and sees her score; her home and trends at 320 px."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftercare.tracking.actions import submit_check_in, submit_scale_response
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import ScaleResponse
from aftercare.treatment.actions import record_infusion
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import PatientHomePage, assert_stylesheets_loaded

pytestmark = pytest.mark.browser

PHQ9 = get_instrument("phq9")


class ScalePage:
    """A questionnaire page: one group per numbered question."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def answer(self, number: int, label: str) -> None:
        group = self.page.locator("fieldset").filter(
            has=self.page.locator(".number", has_text=f"{number}.")
        )
        group.locator("label.option", has_text=label).first.click()

    def submit(self) -> None:
        self.page.get_by_role("button", name="See my score").click()
        self.page.wait_for_load_state()


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_alice_completes_a_phq9_on_her_phone_and_sees_her_score(
    live_server, phone, log_in, alice, screenshot_dir
):
    page = log_in(phone(), alice.user.email)
    home = PatientHomePage(page)
    due = page.get_by_role("link", name="PHQ-9 due: fill it in")
    expect(due).to_be_visible()
    due.click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server.url}/me/scales/phq9/")
    assert_stylesheets_loaded(page)
    no_sideways_scroll(page)
    assert_accessible(page)

    form = ScalePage(page)
    answers = ["Several days"] * 4 + ["More than half the days"] * 2 + ["Not at all"] * 3
    for number, label in enumerate(answers, start=1):
        form.answer(number, label)
    form.answer(10, "Somewhat difficult")
    page.screenshot(path=screenshot_dir / "phq9-form-phone.png", full_page=True)
    labels = page.locator("label.option").all()
    for label in labels[:8]:  # touch targets of at least 44 by 44 CSS pixels
        box = label.bounding_box()
        assert box["height"] >= 44, box
        assert box["width"] >= 44, box
    form.submit()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your PHQ-9 score")
    expect(page.locator(".score")).to_contain_text("8")
    expect(page.locator(".score")).to_contain_text("out of 27")
    expect(page.get_by_text("Your answers show mild signs of depression")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "phq9-result-phone.png", full_page=True)
    stored = ScaleResponse.objects.get(patient=alice)
    assert (stored.total, stored.answers["69722-7"]) == (8, 1)

    home.open()
    expect(page.get_by_role("link", name="PHQ-9 due: fill it in")).to_have_count(0)


def test_home_and_trends_at_phone_width(live_server, phone, log_in, alice, carol, screenshot_dir):
    now = timezone.now()
    start = now - timedelta(days=20)
    phq9_totals = {0: 19, 7: 12, 14: 9, 19: 7}
    for day in range(20):
        at = start + timedelta(days=day, hours=2)
        submit_check_in(patient=alice, answers={"mood": min(10, 3 + day // 3)}, submitted_at=at)
        if day in phq9_totals:
            total, values = phq9_totals[day], []
            for _ in range(9):
                values.append(min(3, total - sum(values)))
            submit_scale_response(
                patient=alice,
                instrument=PHQ9,
                answers={i.id: v for i, v in zip(PHQ9.scored_items, values, strict=True)},
                taken_at=at,
            )
    for day in (1, 4, 8):
        began = start + timedelta(days=day, hours=5)
        record_infusion(
            patient=alice, recorded_by=carol, started_at=began,
            ended_at=began + timedelta(minutes=40), route="iv",
        )  # fmt: skip

    page = log_in(phone(), alice.user.email)
    expect(page.get_by_role("heading", name="Anything unusual today?")).to_have_count(0)
    expect(page.get_by_text("Anything unusual today?")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-me-phone.png", full_page=True)

    page.get_by_role("link", name="Trends", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your trends")
    expect(page.get_by_role("img", name="Your mood over time")).to_be_visible()
    expect(page.get_by_role("img", name="PHQ-9 scores over time")).to_be_visible()
    expect(page.get_by_role("table", name="Mood by day, newest first")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "patient-trends-phone.png", full_page=True)
