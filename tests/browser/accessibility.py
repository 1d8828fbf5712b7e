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


def assert_accessible(page: Page) -> list[dict[str, Any]]:
    """Fail listing every serious or critical axe violation; return the minor ones."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"{page.url} has accessibility violations:\n" + "\n".join(
        describe(v) for v in blocking
    )
    return violations
