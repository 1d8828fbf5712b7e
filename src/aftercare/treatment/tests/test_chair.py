"""The "In the chair now" board. Clock: noon in New York on Tuesday 10 March 2026 (16:00 UTC);
Riverside's protocol defaults: a round at most 30 min after the last, 60 min of observation
after an IV dose."""

from datetime import datetime, timedelta

import pytest
import time_machine
from conftest import utc
from django.test import override_settings

from aftercare.accounts.actions import create_patient
from aftercare.accounts.models import Clinic, Patient, User
from aftercare.audit.models import AuditEvent
from aftercare.treatment import actions
from aftercare.treatment.chair_views import keeps_refreshing
from aftercare.treatment.models import Infusion, Route
from aftercare.treatment.tests.records import GOOD_CHECKLIST, NORMAL, add_round, book

URL = "/clinic/chair/"
NOON = utc(2026, 3, 10, 16)


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    """New York time on ``day`` March 2026 (UTC-4 from 8 March)."""
    return utc(2026, 3, day, hour + 4, minute)


def patient(clinic: Clinic, name: str, clinician: User) -> Patient:
    return create_patient(
        clinic=clinic,
        email=f"{name.lower()}@example.org",
        first_name=name,
        last_name="Test",
        timezone="America/New_York",
        clinician=clinician,
    )


def seat(
    who: Patient,
    by: User,
    *,
    arrived: datetime,
    started: datetime | None = None,
    ended: datetime | None = None,
    rounds: tuple[tuple[datetime, dict], ...] = (),
    pre_dose: bool = True,
) -> Infusion:
    """A session booked for the arrival time, run as far as the times given."""
    infusion = book(who, by, arrived)
    actions.record_arrival(infusion=infusion, at=arrived, by=by)
    if pre_dose:
        actions.record_pre_dose(
            infusion=infusion,
            by=by,
            route=Route.IV,
            weight_kg=None,
            dose_mg_per_kg=None,
            dose_mg=None,
            taken_at=arrived + timedelta(minutes=5),
            vitals=NORMAL,
        )
    if started:
        actions.start_session(infusion=infusion, at=started, by=by)
    if ended:
        actions.end_session(infusion=infusion, at=ended, by=by)
    for taken, values in rounds:
        add_round(infusion, by, taken, **values)
    infusion.refresh_from_db()
    return infusion


@pytest.fixture
def board(riverside, lakeside, alice, bob, carol, eve, noon):
    """Riverside's sessions in every state, and one of Lakeside's in the chair."""
    names = ("Cara", "Dan", "Erin", "Fay", "Gus")
    cara, dan, erin, fay, gus = (patient(riverside, name, carol) for name in names)
    sessions = {
        # Dose ended 10:50, last round 11:20: the next was due at 11:50.
        "overdue": seat(alice, carol, arrived=at(10), started=at(10, 10), ended=at(10, 50),
                        rounds=((at(11), {}), (at(11, 20), {}))),
        # Dosing since 11:40, the pre-dose round at 11:35: the first round is due at 12:10.
        "dosing": seat(bob, carol, arrived=at(11, 30), started=at(11, 40)),
        # A round at 11:50 with a low SpO₂.
        "flagged": seat(cara, carol, arrived=at(10, 30), started=at(10, 40), ended=at(11, 30),
                        rounds=((at(11, 50), {"spo2_pct": 89}),)),
        # Yesterday's, never discharged.
        "left_open": seat(dan, carol, arrived=at(10, day=9), started=at(10, 10, day=9),
                          ended=at(10, 50, day=9), rounds=((at(11, day=9), {}),)),
        "waiting": seat(erin, carol, arrived=at(11, 45), pre_dose=False),
        "discharged": seat(fay, carol, arrived=at(9), started=at(9, 10), ended=at(9, 50),
                           rounds=((at(11, 45), {}),)),
    }  # fmt: skip
    actions.sign_discharge(
        infusion=sessions["discharged"],
        by=carol,
        now=NOON,
        checklist=GOOD_CHECKLIST,
        override_reason="Ready by the clinician's judgement.",
    )
    cancelled = book(gus, carol, at(11))
    actions.cancel_appointment(infusion=cancelled, by=carol, reason="Unwell")
    sessions["cancelled"] = cancelled
    sessions["booked_today"] = book(gus, carol, at(14))
    sessions["tomorrow"] = book(cara, carol, at(10, day=11))
    lake = patient(lakeside, "Lena", eve)
    sessions["lakeside"] = seat(lake, eve, arrived=at(11), started=at(11, 10))
    return sessions


def link(infusion: Infusion) -> str:
    return f'href="/clinic/sessions/{infusion.pk}/"'


def card(html: str, infusion: Infusion) -> str:
    start = html.index(link(infusion))
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


def test_the_board_lists_the_clinics_sessions_under_way_most_urgent_first(as_user, carol, board):
    html = as_user(carol).get(URL).content.decode()
    listed = ["overdue", "left_open", "flagged", "dosing", "waiting"]
    positions = [html.index(link(board[name])) for name in listed]
    assert positions == sorted(positions)
    for name in ("discharged", "cancelled", "booked_today", "tomorrow", "lakeside"):
        assert link(board[name]) not in html, name


def test_each_card_says_what_the_patient_needs(as_user, carol, board):
    html = as_user(carol).get(URL).content.decode()
    overdue = card(html, board["overdue"])
    assert "Alice Archer" in overdue
    assert "IV infusion" in overdue
    assert "Recovering" in overdue
    assert "70 min ago (10:50)" in overdue  # since the end of the dose, clinic time
    assert "11:20, 40 min ago" in overdue  # the last round
    assert "Overdue by 10 min" in overdue
    assert "Minimum of 60 min done" in overdue

    dosing = card(html, board["dosing"])
    assert "Dosing" in dosing
    assert "20 min ago (11:40)" in dosing
    assert "11:35, 25 min ago (before the dose)" in dosing
    assert "Due in 10 min (12:10)" in dosing
    assert "Overdue" not in dosing
    assert "60 min after the end of the dose" in dosing

    flagged = card(html, board["flagged"])
    assert "SpO₂ 89 % is below 92 %." in flagged
    assert "30 min still required (of 60)" in flagged

    left_open = card(html, board["left_open"])
    assert "Not discharged since Monday 9 March." in left_open
    assert "Mon 9 Mar, 10:50" in left_open
    assert "Overdue since Mon 9 Mar, 11:30" in left_open

    waiting = card(html, board["waiting"])
    assert "Arrived" in waiting
    assert "None yet" in waiting
    assert "pre-dose observations" in waiting


def test_another_clinic_sees_only_its_own(as_user, eve, board):
    html = as_user(eve).get(URL).content.decode()
    assert link(board["lakeside"]) in html
    assert link(board["overdue"]) not in html
    assert "Alice" not in html


def test_an_empty_board_says_so(as_user, carol, noon):
    html = as_user(carol).get(URL).content.decode()
    assert "No one is in the chair right now." in html


def test_each_patient_shown_is_audited(as_user, carol, board, alice, bob):
    as_user(carol).get(URL)
    seen = set(AuditEvent.objects.filter(what="chair board").values_list("patient_id", flat=True))
    assert len(seen) == 5
    assert {alice.pk, bob.pk} <= seen


def chair_records(who: User) -> list[int]:
    return sorted(
        AuditEvent.objects.filter(what="chair board", actor=who).values_list(
            "patient_id", flat=True
        )
    )


def test_a_board_left_open_is_audited_once_per_quarter_hour(as_user, carol, dana, board):
    """The list refreshes itself every minute: each refresh is not a new record, or the audit
    log would hold a line per patient per minute for as long as the screen stays on."""
    client = as_user(carol)
    client.get(URL)
    shown_once = chair_records(carol)
    for refresh in range(1, 15):
        client.get(f"{URL}?refresh={refresh}", headers={"HX-Request": "true"})
    assert chair_records(carol) == shown_once
    with time_machine.travel(NOON + timedelta(minutes=15, seconds=1), tick=False):
        client.get(f"{URL}?refresh=15", headers={"HX-Request": "true"})
    assert chair_records(carol) == sorted(shown_once * 2)
    # Someone else looking at the same board has their own record.
    as_user(dana).get(URL)
    assert chair_records(dana) == shown_once


def test_a_patient_newly_on_the_board_is_audited_at_once(as_user, carol, board, riverside):
    client = as_user(carol)
    client.get(URL)
    newcomer = patient(riverside, "Hal", carol)
    seat(newcomer, carol, arrived=at(11, 55))
    client.get(f"{URL}?refresh=1", headers={"HX-Request": "true"})
    assert chair_records(carol).count(newcomer.pk) == 1
    assert len(chair_records(carol)) == 6


def test_htmx_gets_the_list_alone(as_user, carol, board):
    client = as_user(carol)
    page = client.get(URL).content.decode()
    assert "<h1>" in page
    assert 'hx-get="/clinic/chair/?refresh=1"' in page
    assert 'hx-trigger="every 60s"' in page
    part = client.get(
        URL + "?refresh=1", headers={"HX-Request": "true", "HX-Target": "chair-board"}
    ).content.decode()
    assert part.lstrip().startswith('<div id="chair-board"')
    assert "<h1>" not in part
    assert "<nav" not in part
    assert link(board["overdue"]) in part
    assert 'hx-get="/clinic/chair/?refresh=2"' in part


@override_settings(SESSION_IDLE_MINUTES=30)
def test_the_list_stops_refreshing_itself_before_the_idle_sign_out(as_user, carol, noon):
    assert keeps_refreshing(28)
    assert not keeps_refreshing(29)
    client = as_user(carol)
    html = client.get(URL + "?refresh=29").content.decode()
    assert "hx-trigger" not in html
    assert "stopped updating itself" in html
    assert client.get(URL + "?refresh=nonsense").status_code == 200


@override_settings(SESSION_IDLE_MINUTES=0)
def test_without_an_idle_limit_the_list_keeps_refreshing():
    assert keeps_refreshing(10_000)


def test_the_schedule_and_the_navigation_link_to_the_board(as_user, carol, noon):
    html = as_user(carol).get("/clinic/schedule/").content.decode()
    assert html.count('href="/clinic/chair/"') == 2  # the page and the main navigation
