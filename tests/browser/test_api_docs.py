"""The API docs page works in a real browser under the strict policy, from this site alone.

A patient logged in with the session tries a call from the page ("Try it out"): the session
and its CSRF token are enough, no token is typed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_the_docs_page_runs_under_the_policy_without_other_sites(
    live_server, desktop, log_in, alice
):
    context = desktop()
    context.add_init_script(LISTENER)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page: Page = log_in(context, "alice@example.org")
    response = page.goto("/api/v1/docs")
    assert response is not None
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("/api/v1/me/phase").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert all(url.startswith(live_server.url) for url in requested), requested
    # Try the phase operation with the session.
    page.get_by_text("/api/v1/me/phase").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
