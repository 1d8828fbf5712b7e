"""Hypothesis over every web form: whatever is posted, the server answers below 500.

The pages come from the access file (accounts/tests/test_access.py) with the rules of the
matrix (test_matrix.py), so a new page, and any form on it, is fuzzed without an edit here. Each
page is opened as every Riverside persona allowed to use it (Alice, Carol, Dana; nobody for the
public pages); POST-only addresses are posted empty and the form of their answer is used. Every
``<form method="post">`` found is then posted with generated values: its hidden fields as they
are, the others valid-looking, wrong, empty, huge, odd unicode, repeated or left out. Each post is
rolled back, so every example meets the same records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.accounts.tests import test_matrix as matrix

# A deeper search now and then: AFTERCARE_FUZZ_EXAMPLES=200 uv run pytest this file.
EXAMPLES_PER_FORM = int(os.environ.get("AFTERCARE_FUZZ_EXAMPLES", "12"))
PERSONAS = ("alice", "carol", "dana")
# Signing out ends the persona's session; it has no input to fuzz.
NOT_FUZZED = {"/accounts/logout/"}


# ------------------------------------------------------------------------------ finding forms
@dataclass
class Field:
    kind: str  # hidden, text, choice (select/radio/checkbox/named button), file
    options: list[str] = field(default_factory=list)
    type: str = "text"  # the input's type: number, date, datetime-local, email, ...
    low: int = 0  # its min and max, for a number
    high: int = 200


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    disabled: set[str] = field(default_factory=set)

    @property
    def read_only(self) -> bool:
        return bool(self.disabled) and all(f.kind == "hidden" for f in self.fields.values())


class FormParser(HTMLParser):
    """Every ``<form method="post">`` of a page: its action and its fields by name."""

    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            post = a.get("method", "get").lower() == "post"
            action = urlsplit(urljoin(self.page, a.get("action") or self.page))
            path = action.path + (f"?{action.query}" if action.query else "")
            self.current = Form(path) if post else None
            return
        form, name = self.current, a.get("name")
        if form is not None and tag in ("input", "select", "textarea") and "disabled" in a:
            # A browser sends no disabled field; a read-only form has only those.
            form.disabled.add(name or "")
            return
        if form is None or not name:
            if tag == "option" and form is not None and self.select:
                form.fields[self.select].options.append(a.get("value", ""))
            return
        kind = a.get("type", "text").lower()
        if a.get("inputmode") in ("numeric", "decimal"):
            kind = "number"
        if tag == "select":
            self.select = name
            form.fields.setdefault(name, Field("choice"))
        elif tag == "textarea":
            form.fields.setdefault(name, Field("text"))
        elif tag == "button" or kind in ("submit", "radio", "checkbox"):
            choice = form.fields.setdefault(name, Field("choice"))
            choice.options.append(a.get("value", "on" if tag == "input" else ""))
        elif tag == "input" and kind == "hidden":
            form.fields[name] = Field("hidden", [a.get("value", "")])
        elif tag == "input" and kind == "file":
            form.fields[name] = Field("file")
        elif tag == "input":
            low, high = number(a.get("min"), 0), number(a.get("max"), 200)
            form.fields.setdefault(name, Field("text", [a.get("value", "")], kind, low, high))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def number(text: str | None, default: int) -> int:
    try:
        return int(float(text or "x"))
    except ValueError:
        return default


def forms_in(response, page: str) -> list[Form]:
    if response.status_code not in (200, 400) or response.streaming:
        return []
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = FormParser(page)
    parser.feed(response.content.decode())
    return [
        f for f in parser.forms if urlsplit(f.action).path not in NOT_FUZZED and not f.read_only
    ]


@dataclass
class Page:
    group: str
    name: str
    personas: tuple[str, ...]
    state: str = ""  # of the session a {session} page is about; "" for the scheduled one


def pages() -> list[Page]:
    """Every page of the access file with the Riverside personas its group allows."""
    found = []
    for group, entries in matrix.groups().items():
        if group not in matrix.RULES:
            continue
        rules = matrix.RULES[group]
        allowed = tuple(p for p in PERSONAS if isinstance(rules[p], frozenset) and 200 in rules[p])
        allowed += tuple(p for p in PERSONAS if rules[p] == frozenset({400}))
        for name in sorted(entries):
            found.append(Page(group, name, allowed))
            # Each step of an infusion has its own forms: open the page at every step.
            if "{session}" in entries[name][1]:
                found += [Page(group, name, allowed, state) for state in SESSION_STATES]
    found += [Page("PUBLIC", name, ("anonymous",)) for name in sorted(matrix.PUBLIC_CALLS)]
    found += [Page("API_PAGES", name, PERSONAS) for name in sorted(matrix.API_PAGES)]
    found += [Page("SIGNED_LINKS", name, (who,)) for name, (who, _) in SIGNED_LINKS.items()]
    return found


SESSION_STATES = ("arrived", "observed", "dosing", "ended", "discharged")


def session_at(state: str, alice) -> int:
    """A session of Alice's taken to ``state`` the way the nurse's actions take it."""
    from datetime import timedelta

    from django.utils import timezone

    from aftercare.treatment import actions
    from aftercare.treatment.tests import records

    now = timezone.now()
    infusion = records.book(alice, alice.clinician, now - timedelta(hours=2))
    infusion = actions.record_arrival(
        infusion=infusion, at=now - timedelta(hours=2), by=alice.clinician
    )
    if state == "arrived":
        return infusion.pk
    vitals: dict[str, int | None] = dict(records.NORMAL)
    actions.record_pre_dose(
        infusion=infusion,
        by=alice.clinician,
        route=infusion.route,
        weight_kg=None,
        dose_mg_per_kg=None,
        dose_mg=None,
        taken_at=now - timedelta(minutes=115),
        vitals=vitals,
    )
    if state == "observed":
        return infusion.pk
    actions.start_session(infusion=infusion, at=now - timedelta(minutes=110), by=alice.clinician)
    if state == "dosing":
        return infusion.pk
    actions.end_session(infusion=infusion, at=now - timedelta(minutes=70), by=alice.clinician)
    records.add_round(infusion, alice.clinician, now - timedelta(minutes=10))
    if state == "discharged":
        actions.sign_discharge(
            infusion=infusion, by=alice.clinician, now=now, checklist=records.GOOD_CHECKLIST
        )
    return infusion.pk


def invitation(alice) -> str:
    from aftercare.accounts.actions import create_patient
    from aftercare.accounts.invitations import make_token

    invited = create_patient(
        clinic=alice.clinic,
        email="ivy@example.org",
        first_name="Ivy",
        last_name="Ives",
        timezone="America/New_York",
    )
    return f"/invitation/{make_token(invited.user)}/"


def password_reset(alice) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.user.pk))
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(alice.user)}/"


def driver(alice) -> str:
    from aftercare.treatment.driver import make_token
    from aftercare.treatment.models import Discharge

    discharge = Discharge.objects.get(infusion_id=session_at("discharged", alice))
    return f"/driver/{make_token(discharge)}/"


def reminder(alice) -> str:
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from aftercare.reminders.tokens import make_token

    today = timezone.now().astimezone(ZoneInfo(alice.timezone)).date()
    return f"/r/{make_token(alice, today)}/"


# Public pages whose form only a valid signed link opens: name -> (who opens it, the link).
SIGNED_LINKS = {
    "accept_invitation": ("anonymous", invitation),
    "password_reset_confirm": ("anonymous", password_reset),
    "driver_sheet": ("anonymous", driver),
    # The reminder's session, limited to the check-in.
    "reminder_link": ("link", reminder),
}


def open_page(page: Page, client: Client, alice, riverside):
    """The page as its group's test opens it; a POST-only address is posted empty."""
    if page.state:
        from unittest import mock

        from aftercare.treatment.tests import records

        session = session_at(page.state, alice)
        with mock.patch.object(records, "session_id_of", return_value=session):
            return matrix.request(page.group, page.name, client, alice, riverside)
    if page.group == "SIGNED_LINKS":
        return client.get(SIGNED_LINKS[page.name][1](alice), follow=True)
    if page.group == "PUBLIC":
        method, path, *_ = matrix.PUBLIC_CALLS[page.name]
        return getattr(client, method)(path)
    if page.group == "API_PAGES":
        method, path, _ = matrix.API_PAGES[page.name]
        return getattr(client, method)(path)
    return matrix.request(page.group, page.name, client, alice, riverside)


def same_form(form: Form) -> tuple[str, tuple[str, ...]]:
    """One form whatever record it is about: the URL name of its action and its fields."""
    from django.urls import resolve

    return resolve(urlsplit(form.action).path).url_name or "", tuple(sorted(form.fields))


def discover(page: Page, clients: dict[str, Client], alice, riverside) -> list[tuple[str, Form]]:
    found: dict[tuple, tuple[str, Form]] = {}
    for persona in page.personas:
        # Not rolled back: the records the page is about must outlive it for the posts.
        response = open_page(page, clients[persona], alice, riverside)
        path = response.request["PATH_INFO"]
        for form in forms_in(response, path):
            found.setdefault((persona, *same_form(form)), (persona, form))
    return list(found.values())


# ------------------------------------------------------------------------------ values
NUMBERS = ["0", "-1", "1", "7", "10", "11", "99", "101", "3.5", "-0.0", "1e309", "NaN", "inf"]
NUMBERS += ["0x1F", "١٢", "9" * 5000, "-" + "9" * 30, "2147483648", "9223372036854775808"]
DATES = ["2026-11-27", "2026-02-30", "2026-13-01", "0000-00-00", "0001-01-01", "9999-12-31"]
DATES += ["10000-01-01", "99999-12-31", "27/11/2026", "11/27/2026", "27.11.2026", "yesterday"]
DATES += ["2026-11-27T10:00", "2026-11-27 25:61", "9999-12-31T23:59", "0001-01-01T00:00"]
DATES += ["10:00", "24:00", "23:59:60", "-1:00", "2026-11-27T10:00:00+14:00"]
ODD = ["", " ", "\t\r\n", "\x00", "a\x00b", "\u202eevil\u202c", "\u200f\u200e", "😀🏳️‍🌈👩🏽‍⚕️"]
ODD += ["' OR 1=1 --", "'; DROP TABLE accounts_user; --", "<script>alert(1)</script>", "%s%n"]
ODD += ["{{ 7|add:7 }}", "../../etc/passwd", "\ud7ff\ue000\uffff", "𝕬" * 300, "a@b", "true"]
HUGE = ["x" * 100_000, "é" * 50_000, "9" * 100_000, "\n" * 20_000]


def scalar(options: list[str]) -> st.SearchStrategy[str]:
    parts = [
        st.sampled_from(NUMBERS),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.sampled_from(DATES),
        st.sampled_from(ODD),
        st.sampled_from(HUGE),
        st.text(max_size=40),
    ]
    options = [o for o in options if o]
    if options:
        parts = [st.sampled_from(options), st.sampled_from(options), *parts]
    return st.one_of(parts)


FILES = [b"", b"\x00\xff\xfe" * 100, b"date,mood\n2026-02-30,5\n", b"\xef\xbb\xbfa,b\n" * 5]
FILES += [b"---\ntitle: x\n---\n# Hi <script>x</script>\n", "é;ü\n".encode("latin-1")]


def upload() -> st.SearchStrategy:
    return st.builds(
        lambda content, name: SimpleUploadedFile(name, content),
        st.one_of(st.sampled_from(FILES), st.binary(max_size=200)),
        st.sampled_from(["data.csv", "a.md", "x.exe", "noname", "ü.txt", "a" * 300]),
    )


def plausible(f: Field) -> st.SearchStrategy:
    """A value a person filling in the form might give, so that the others reach past
    validation to the saving."""
    from django.utils import timezone

    now = timezone.localtime()
    options = [o for o in f.options if o]
    if f.kind == "file":
        return upload()
    if f.kind == "choice" or options:
        return st.sampled_from(options or [""])
    by_type = {
        "number": st.one_of(
            st.integers(min_value=f.low, max_value=max(f.low, f.high)).map(str),
            st.sampled_from(["0", "1", "5", "14", "72", "78", "98", "122"]),
        ),
        "date": st.just(now.date().isoformat()),
        "datetime-local": st.just(now.strftime("%Y-%m-%dT%H:%M")),
        "time": st.just("10:30"),
        "email": st.sampled_from(["ivy.new@example.org", "x@example.com"]),
        "password": st.just("a-long-enough-passphrase-42"),
    }
    return by_type.get(f.type, st.sampled_from(["Feeling steadier today", "Ivy", "+1 555 0123"]))


def payloads(form: Form) -> st.SearchStrategy[dict]:
    """Hidden fields as they are. Either every other field wild (a value, a list of them as
    a repeated key, or nothing at all), or all plausible but one."""
    fixed = {n: f.options[0] for n, f in form.fields.items() if f.kind == "hidden"}
    names = [n for n, f in form.fields.items() if f.kind != "hidden"]
    wild = {}
    for name in names:
        f = form.fields[name]
        one = upload() if f.kind == "file" else scalar(f.options)
        wild[name] = st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3), st.just(None))
    if not names:
        return st.just(fixed)
    every_field_wild = st.fixed_dictionaries(wild)
    one_field_wild = st.sampled_from(names).flatmap(
        lambda bent: st.fixed_dictionaries(
            {n: wild[n] if n == bent else plausible(form.fields[n]) for n in names}
        )
    )
    return st.one_of(every_field_wild, one_field_wild).map(
        lambda values: fixed | {k: v for k, v in values.items() if v is not None}
    )


# ------------------------------------------------------------------------------ the tests
def fuzz(client: Client, form: Form) -> list[int]:
    """Posts generated values to the form; returns the status codes."""
    posted: list[int] = []

    @settings(max_examples=EXAMPLES_PER_FORM, database=None)
    @given(payloads(form))
    def post(payload):
        with transaction.atomic():
            response = client.post(form.action, payload)
            transaction.set_rollback(True)
        posted.append(response.status_code)
        assert response.status_code < 500, (form.action, response.status_code)
        if response.status_code in (200, 400) and not response.streaming:
            assert response.content, (form.action, "empty page")

    post()
    return posted


FUZZED: set[tuple] = set()


@pytest.fixture
def clients(alice, carol, dana, as_user) -> dict[str, Client]:
    from aftercare.api import tokens

    tokens.issue(carol, "fuzz")  # so that the token page has a revoke form
    users = {"alice": alice.user, "carol": carol, "dana": dana}
    return {"anonymous": Client(), "link": Client()} | {
        name: as_user(user) for name, user in users.items()
    }


# Not "page": pytest-playwright owns that fixture name.
@pytest.mark.parametrize(
    "target", pages(), ids=lambda p: f"{p.group}:{p.name}:{p.state}".strip(":")
)
def test_no_form_answers_with_a_server_error(target, clients, alice, riverside):
    found = discover(target, clients, alice, riverside)
    for persona, form in found:
        # A form on many pages (the "I need help" button on every patient page) once a run.
        if (persona, *same_form(form)) in FUZZED:
            continue
        FUZZED.add((persona, *same_form(form)))
        statuses = fuzz(clients[persona], form)
        # All 404s would mean posting to a record that is gone, reaching no form code.
        assert set(statuses) - {404}, (persona, form.action, statuses)


def test_the_forms_of_every_kind_of_page_are_found(clients, alice, riverside):
    """The fuzzing above sees forms at all: patients', clinicians', admins', public and
    POST-only ones (a parser that found nothing would let every page pass)."""
    from django.urls import resolve

    found = {
        (page.name, resolve(urlsplit(form.action).path).url_name)
        for page in pages()
        for _, form in discover(page, clients, alice, riverside)
    }
    actions = {action for _, action in found}
    assert {
        "login",
        "password_reset",
        "password_reset_confirm",
        "accept_invitation",
        "driver_sheet",
        "check_in",
        "journal_new",
        "safety_plan_edit",
        "note_new",
        "session_arrival",
        "session_pre_dose",
        "session_start",
        "session_round",
        "session_end",
        "session_discharge",
        "invite_patient",
        "safety_settings",
        "my_data",
        "library_upload",
        "api_tokens",
        "api_token_revoke",
    } <= actions, sorted(found)
