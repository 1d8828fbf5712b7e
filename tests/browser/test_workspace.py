"""Carol, at her desk (1280 px), filters the patient list (updated in place by htmx), opens a
patient's timeline, reads it and signs a note; each page passes an accessibility scan."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.workspace.tests.data import treated_patient
from tests.browser.accessibility import assert_accessible
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser


def test_a_clinician_filters_the_list_and_reads_a_timeline(
    live_server, desktop, log_in, riverside, carol, alice, bob, screenshot_dir
):
    now = timezone.now()
    treated_patient(riverside, now=now, last_name="Quinn", clinician=carol, alert="urgent")
    treated_patient(riverside, now=now, last_name="Rossi", check_in_days=0, booked_in_days=3)

    page = log_in(desktop(), "carol@example.org")
    page.goto("/clinic/workspace/", timeout=60_000)
    assert_stylesheets_loaded(page)
    rows = page.locator(".patient-table tbody tr")
    expect(rows).to_have_count(4)
    page.screenshot(path=screenshot_dir / "workspace-list-1280.png", full_page=True)
    assert_accessible(page)

    # Filtering swaps the results in place (no full reload) and keeps the address shareable.
    page.evaluate("window.__stayed = true")
    page.get_by_label("Open alerts").select_option("urgent")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Quinn")
    assert page.evaluate("window.__stayed === true")
    expect(page).to_have_url(re.compile(r"/clinic/workspace/\?.*alerts=urgent"))

    # Sorting from a column heading, also in place.
    page.get_by_label("Open alerts").select_option("")
    expect(rows).to_have_count(4)
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page.locator("th[aria-sort='descending']")).to_have_count(1)
    expect(rows.first).to_contain_text("Rossi")
    assert page.evaluate("window.__stayed === true")

    page.get_by_role("link", name="Pat Quinn").click()
    expect(page.get_by_role("heading", name="Timeline of Pat Quinn")).to_be_visible()
    expect(page.get_by_role("img", name="Course of Pat Quinn")).to_be_visible()
    page.get_by_role("link", name="Last 30 days").click()
    expect(page.locator("a[aria-current='page']")).to_have_text("Last 30 days")
    page.get_by_label("Note", exact=True).fill("Stable; review after infusion 4.")
    page.get_by_role("button", name="Sign note").click()
    expect(page.locator(".note")).to_contain_text("Stable; review after infusion 4.")
    page.screenshot(path=screenshot_dir / "workspace-timeline-1280.png", full_page=True)
    assert_accessible(page)
