"""A patient reads the content library on her phone: browse, search, open an article."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftercare.library.actions import import_builtin
from tests.browser.accessibility import assert_accessible, assert_no_horizontal_scroll
from tests.browser.pages import assert_stylesheets_loaded

pytestmark = pytest.mark.browser


def test_alice_searches_the_library_and_reads_an_article_on_her_phone(
    live_server, phone, log_in, alice, screenshot_dir
):
    import_builtin()
    page = log_in(phone(), alice.user.email)

    # The "Learn" link in the main navigation opens the library.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn").click()
    expect(page).to_have_url(f"{live_server.url}/learn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn")
    expect(page.get_by_role("link", name="Stage: day 2 (", exact=False)).to_be_visible()
    assert_stylesheets_loaded(page)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "library-index-phone.png")

    # She searches by typing and pressing Enter, as on a phone keyboard.
    search = page.get_by_role("searchbox", name="Search all articles")
    search.fill("driving")
    search.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/learn/?q=driving")
    expect(page.get_by_role("status")).to_contain_text("match “driving”")
    result = page.get_by_role("link", name="Getting home safely")
    expect(result).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    result.click()
    expect(page).to_have_url(f"{live_server.url}/learn/getting-home-safely/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Getting home safely")
    expect(page.get_by_role("complementary", name="About this article")).to_contain_text(
        "For learning, not medical advice."
    )
    expect(page.get_by_role("heading", level=2, name="On the way home")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.screenshot(path=screenshot_dir / "library-article-phone.png", full_page=True)

    # A stage tag leads to the other articles for the same stage.
    page.get_by_role("link", name="Stage: getting home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles about: Stage: getting home")
    expect(page.get_by_role("link", name="The rest of treatment day")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
