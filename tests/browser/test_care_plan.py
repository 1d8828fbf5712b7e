"""Alice writes her care plan on her phone: each part of the page is sent and replaced on its
own (htmx), so what she is typing in one part survives sending another."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftercare.careplan import actions
from tests.browser.accessibility import assert_accessible
from tests.browser.test_csp import violations, watched

pytestmark = pytest.mark.browser


def test_typing_in_one_part_survives_sending_another(live_server, phone, log_in, alice, carol):
    actions.add_habit(patient=alice, by=carol, kind="sleep", description="Bed by eleven")
    context, console = watched(phone())
    page = log_in(context, "alice@example.org")
    page.goto("/me/care-plan/")
    page.evaluate("window.__stayed = true")  # gone if the page reloads

    goal = page.get_by_label("Goal", exact=True)
    goal.fill("Walk with my sister twice a week")
    habits = page.locator("#habits")
    habits.get_by_role("button", name="Done today").click()
    expect(habits.get_by_role("status")).to_contain_text("Marked as done today")
    expect(habits.get_by_role("status")).to_be_focused()
    expect(goal).to_have_value("Walk with my sister twice a week")

    # An error comes back beside its field in its own part; the typed goal still stays.
    page.locator("#medications").get_by_role("button", name="Add", exact=True).click()
    medications = page.locator("#medications")
    expect(medications.locator("#id_medication-name_error")).to_have_text("Please fill this in.")
    expect(medications.locator(".error-summary")).to_be_focused()
    expect(goal).to_have_value("Walk with my sister twice a week")

    page.get_by_label("Short-term").check()
    page.get_by_role("button", name="Add goal").click()
    goals = page.locator("#goals")
    expect(goals.get_by_role("status")).to_contain_text("Goal added.")
    expect(goals.locator("li")).to_contain_text("Walk with my sister twice a week")
    expect(page.get_by_label("Goal", exact=True)).to_have_value("")
    expect(medications.locator("#id_medication-name_error")).to_be_visible()
    assert page.evaluate("window.__stayed === true")
    assert violations(page, console) == []
    assert_accessible(page)
