"""Small page objects: what a person sees and does, not how the HTML is built."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

SCALES = ("mood", "energy", "interest", "sleep_quality", "anxiety")


class LoginPage:
    path = "/accounts/login/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> LoginPage:
        self.page.goto(self.path)
        expect(self.page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        return self

    def log_in(self, email: str, password: str) -> None:
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()


class PatientHomePage:
    path = "/me/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> PatientHomePage:
        self.page.goto(self.path)
        return self

    @property
    def phase_title(self) -> Locator:
        return self.page.locator("#phase-title")

    @property
    def recent_check_ins(self) -> Locator:
        return self.page.get_by_role("table", name="Your mood in recent check-ins")

    @property
    def messages(self) -> Locator:
        return self.page.get_by_role("status")

    def group(self, name: str) -> Locator:
        """The fieldset of one question, found by its input name."""
        return self.page.locator(f"fieldset:has(input[name='{name}'])")

    def error_for(self, name: str) -> Locator:
        return self.group(name).locator(".error")

    def radio(self, name: str, value: int | str) -> Locator:
        return self.page.locator(f"input[name='{name}'][value='{value}']")

    def choose(self, name: str, value: int | str) -> None:
        """Tap the visible label of one answer, as a person does."""
        self.page.locator(f"label.option:has(input[name='{name}'][value='{value}'])").click()

    def choose_with_keyboard(self, name: str, value: int, *, max_tabs: int = 30) -> None:
        """Tab into a 1..10 scale that has no answer yet, then arrow to the value."""
        for _ in range(max_tabs):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.name") == name:
                break
        else:
            raise AssertionError(f"Tab never reached the {name!r} radio group")
        expect(self.radio(name, 1)).to_be_focused()
        for _ in range(value - 1):
            self.page.keyboard.press("ArrowRight")
        expect(self.radio(name, value)).to_be_focused()
        expect(self.radio(name, value)).to_be_checked()

    def fill_note(self, text: str) -> None:
        self.page.get_by_label("Anything else you want to note").fill(text)

    def submit(self) -> None:
        self.page.get_by_role("button", name="Save check-in").click()
        self.page.wait_for_load_state()

    def check_in(
        self,
        *,
        suicidal_thoughts: str | None = None,
        note: str = "",
        **scales: int,
    ) -> None:
        """Answer the check-in by tapping labels and save it."""
        for name, value in scales.items():
            if name not in SCALES:
                raise TypeError(f"unknown check-in question {name!r}")
            self.choose(name, value)
        if suicidal_thoughts is not None:
            self.choose("suicidal_thoughts", suicidal_thoughts)
        if note:
            self.fill_note(note)
        self.submit()


class PatientListPage:
    path = "/clinic/patients/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open_record(self, link_text: str) -> PatientRecordPage:
        self.page.get_by_role("link", name=link_text).click()
        self.page.wait_for_load_state()
        return PatientRecordPage(self.page)


class PatientRecordPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def path_for(cls, patient_id: object) -> str:
        return f"/clinic/patients/{patient_id}/"

    @property
    def check_ins(self) -> Locator:
        return self.page.get_by_role("table", name="Check-ins, newest first")

    def check_in_rows(self) -> list[dict[str, str]]:
        """Each check-in row as {column header: cell text}."""
        table = self.check_ins
        headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        return [
            dict(
                zip(headers, (c.strip() for c in row.locator("td").all_inner_texts()), strict=True)
            )
            for row in table.locator("tbody tr").all()
        ]


def assert_stylesheets_loaded(page: Page) -> None:
    """Every linked stylesheet arrived and has rules: an unstyled page fails here, not later."""
    sheets = page.evaluate(
        """Array.from(document.styleSheets).map(s => {
            let rules = 0;
            try { rules = s.cssRules.length } catch (e) { rules = -1 }
            return [s.href, rules];
        })"""
    )
    assert sheets, f"{page.url} links no stylesheet"
    empty = [href for href, rules in sheets if rules <= 0]
    assert not empty, f"{page.url}: stylesheets missing or empty (404?): {empty}"
