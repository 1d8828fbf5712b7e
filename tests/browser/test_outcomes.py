"""On a 320 px and a 390 px phone, Dr Patel reads the clinic outcomes: every number table fits
its card, so no Rate is cut off; the page never scrolls sideways and axe finds nothing serious."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftercare.demo.load import DEMO_PASSWORD, load_demo_clinic
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser

NUMBER_TABLES = (
    "Series by status, out of those started",
    "Outcomes after the series",
    "Suicidal thoughts before and after the series",
    "Patients per trajectory class",
    "Patients flagged for the care team",
)

# Cells that stick out of the table's scroll box, with how far (px).
OUTSIDE = """table => {
    const box = table.closest('.table-scroll').getBoundingClientRect();
    return Array.from(table.querySelectorAll('th, td'))
        .map(cell => [cell.textContent.trim(), cell.getBoundingClientRect().right - box.right])
        .filter(([, over]) => over > 0.5);
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_the_outcome_numbers_fit_a_phone(live_server, new_context, log_in, screenshot_dir, width):
    load_demo_clinic(seed=11, now=timezone.now(), patients=14)
    context = new_context(**{**PHONE, "viewport": {"width": width, "height": 740}})
    context.set_default_timeout(10_000)
    page = log_in(context, "dr.patel@riverside.example", DEMO_PASSWORD)
    page.goto("/clinic/outcomes/", timeout=60_000)
    assert_stylesheets_loaded(page)
    for name in NUMBER_TABLES:
        table = page.get_by_role("table", name=name)
        expect(table.get_by_role("columnheader", name="Rate")).to_be_visible()
        assert table.evaluate(OUTSIDE) == [], f"{name!r} is cut off at {width} px"
    page.screenshot(path=screenshot_dir / f"outcomes-{width}.png", full_page=True)
    assert_accessible(page)
