"""Accessibility checks with axe-core, run inside the page under test."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = ("serious", "critical")

_axe = Axe()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now, whatever its impact."""
    return _axe.run(page).response["violations"]


def describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}"


def assert_no_horizontal_scroll(page: Page) -> None:
    """No sideways scrolling of the page itself (WCAG 1.4.10 Reflow): wide tables scroll
    inside their own box."""
    width, viewport = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= viewport, f"{page.url} is {width} px wide on a {viewport} px screen"


def assert_accessible(page: Page) -> list[dict[str, Any]]:
    """Fail listing every serious or critical axe violation, or a page wider than the
    screen; return the minor ones."""
    assert_no_horizontal_scroll(page)
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url} has accessibility violations:\n" + "\n".join(
        describe(v) for v in blocking
    )
    return violations
