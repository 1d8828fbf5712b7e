"""Browser tests: Debian's Chromium driven by pytest-playwright against Django's live server."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PASSWORD
from playwright.sync_api import BrowserContext, Page

from tests.browser.pages import LoginPage

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {
    "viewport": {"width": 320, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TABLET = {
    "viewport": {"width": 768, "height": 1024},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _live_database(transactional_db, live_server) -> None:
    """Every browser test talks to the live server in another thread, so it needs real commits.

    Autouse puts transactional_db first, before persona fixtures ask for `db`.
    """


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in page.goto() go to Django's live server.

    This also replaces pytest-playwright's own base_url fixture, which pytest 9 warns about
    (a session fixture defined as an instance method) and filterwarnings=error would fail.
    """
    return live_server.url


@pytest.fixture
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    path = pytestconfig.rootpath / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _context_factory(new_context, options: dict) -> Callable[[], BrowserContext]:
    def make() -> BrowserContext:
        context = new_context(**options)
        context.set_default_timeout(10_000)
        return context

    return make


@pytest.fixture
def phone(new_context) -> Callable[[], BrowserContext]:
    """Make a fresh phone-sized context (320x740, touch; WCAG 1.4.10 judges reflow at 320 px):
    one per person."""
    return _context_factory(new_context, PHONE)


@pytest.fixture
def tablet(new_context) -> Callable[[], BrowserContext]:
    """Make a fresh tablet-sized context (768x1024, touch)."""
    return _context_factory(new_context, TABLET)


@pytest.fixture
def desktop(new_context) -> Callable[[], BrowserContext]:
    """Make a fresh desktop-sized context (1280x800)."""
    return _context_factory(new_context, DESKTOP)


@pytest.fixture
def log_in() -> Callable[..., Page]:
    """Log a person in through the real login form; return the page they land on."""

    def _log_in(context: BrowserContext, email: str, password: str = PASSWORD) -> Page:
        page = context.new_page()
        LoginPage(page).open().log_in(email, password)
        assert "/accounts/login/" not in page.url, f"login failed for {email}"
        return page

    return _log_in
