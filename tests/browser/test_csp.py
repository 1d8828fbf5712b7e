"""The strict Content-Security-Policy breaks nothing: no page or htmx swap reports a violation.

Chromium reports each blocked script, style (including style attributes in SVG charts) and
eval as a `securitypolicyviolation` event and a console error; both are collected here.
"""

from __future__ import annotations

import pytest
from conftest import PASSWORD
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from aftercare.workspace.tests.data import treated_patient

pytestmark = pytest.mark.browser

LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


def watched(context: BrowserContext) -> tuple[BrowserContext, list[str]]:
    console: list[str] = []
    context.add_init_script(LISTENER)
    context.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return context, console


def violations(page: Page, console: list[str]) -> list[str]:
    return list(page.evaluate("window.__csp || []")) + console


def visit(page: Page, console: list[str], path: str) -> None:
    response = page.goto(path, timeout=60_000)
    assert response is not None
    assert response.status == 200, (path, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == [], path


def test_patient_pages_and_charts_run_under_the_policy(live_server, desktop, log_in, riverside):
    patient = treated_patient(riverside, now=timezone.now(), last_name="Quinn")
    patient.user.set_password(PASSWORD)
    patient.user.save()
    context, console = watched(desktop())
    page = context.new_page()
    visit(page, console, "/accounts/login/")
    page = log_in(context, "pat.quinn@example.org")
    visit(page, console, "/me/trends/")
    expect(page.locator("main svg").first).to_be_visible()
    for path in ("/me/", "/me/safety-plan/", "/me/journal/new/", "/learn/"):
        visit(page, console, path)


def test_staff_pages_htmx_and_charts_run_under_the_policy(
    live_server, desktop, log_in, riverside, carol
):
    now = timezone.now()
    quinn = treated_patient(riverside, now=now, last_name="Quinn", clinician=carol)
    treated_patient(riverside, now=now, last_name="Rossi", check_in_days=0, booked_in_days=3)
    context, console = watched(desktop())
    page = log_in(context, "carol@example.org")
    for path in (
        "/clinic/patients/",
        "/clinic/outcomes/",
        f"/clinic/patients/{quinn.pk}/timeline/",
        f"/clinic/patients/{quinn.pk}/response/",
        "/accounts/two-factor/setup/",
        "/clinic/settings/sign-in/",
        "/api/v1/docs",
    ):
        visit(page, console, path)
    visit(page, console, "/clinic/workspace/")
    rows = page.locator(".patient-table tbody tr")
    page.get_by_role("link", name="Name", exact=True).click()
    expect(page.locator("th[aria-sort='descending']")).to_have_count(1)
    expect(rows.first).to_contain_text("Rossi")
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []
    # The htmx settings in base.html keep its <style> out and no page copies in storage.
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    assert page.evaluate("localStorage.getItem('htmx-history-cache')") in (None, "[]")
