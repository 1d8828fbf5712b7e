"""Who is in the chair now: every session of the clinic under way, and what each needs next.

A session is in the chair from the recorded arrival until the discharge is signed, whatever day
it was booked for: one that runs past midnight, or that nobody discharged yesterday, stays
listed (the second marked as left open) until someone closes it.

Rounds follow the clinic's protocol (treatment.ClinicProtocol): while the patient is dosing or
recovering, a round is due at most ``latest_round_max_age_minutes`` after the last one (after the
start of the dose when none has been taken since). The protocol sets that figure as the largest
age of the last round before discharge. No published interval exists (CLINICAL.md §4: the
esketamine label asks for blood pressure about 40 min after the dose, then "as clinically
warranted"), so the board reads that clinic setting as the round interval rather than inventing
another figure. Observation still required is the protocol's
minimum for the route (min_observation_for) less the time observed since the end
(discharge_rules.observed_minutes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from aftercare.accounts.models import User
from aftercare.treatment.discharge_rules import latest_pre_dose, observed_minutes
from aftercare.treatment.models import ClinicProtocol, Infusion, MonitoringRound
from aftercare.treatment.selectors import sessions_visible_to
from aftercare.treatment.stage import SessionStage, Stage, stage_of
from aftercare.treatment.vitals import Flag, concerns


def sessions_in_the_chair(user: User) -> QuerySet[Infusion]:
    """The sessions of the user's clinic with an arrival and no discharge (scoped through
    accounts.scoping: another clinic's sessions never appear). Rounds come prefetched."""
    return (
        sessions_visible_to(user)
        .filter(arrived_at__isnull=False, discharge__isnull=True)
        .exclude(status__in=(Infusion.Status.CANCELLED, Infusion.Status.NO_SHOW))
        .select_related("discharge")
        .prefetch_related("rounds")
        .order_by("arrived_at", "pk")
    )


def _minutes(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60))


@dataclass(frozen=True)
class ChairRow:
    """One session in the chair. Minutes are whole minutes up to ``now``."""

    infusion: Infusion
    stage: SessionStage
    minutes_in_stage: int  # since the arrival, the start or the end of the dose
    minutes_in_chair: int  # since the arrival
    last_round: MonitoringRound | None
    last_round_minutes: int | None
    round_due_at: datetime | None  # None before the dose starts
    due_in_minutes: int | None  # until the next round is due; None when overdue or not due
    overdue_minutes: int  # 0 when no round is overdue
    observation_minimum: int  # the protocol's minimum after the end, for the route
    observation_left: int  # minutes still required before discharge
    flags: list[Flag]  # values of the last round past the clinic's thresholds
    open_since: date | None  # the clinic day of the arrival, when that is before today
    needs_pre_dose: bool  # arrived, no pre-dose observations yet

    @property
    def overdue(self) -> bool:
        return self.overdue_minutes > 0


def chair_row(
    infusion: Infusion, protocol: ClinicProtocol, *, now: datetime, tz: ZoneInfo
) -> ChairRow:
    rounds = list(infusion.rounds.all())  # prefetched, in time order
    stage = stage_of(infusion)
    arrived = infusion.arrived_at or infusion.scheduled_at  # always set in the chair
    last = rounds[-1] if rounds else None
    due_at = due_in = None
    overdue = 0
    if stage.stage in (Stage.DOSING, Stage.RECOVERING) and infusion.started_at is not None:
        anchor = max(infusion.started_at, last.taken_at) if last else infusion.started_at
        due_at = anchor + timedelta(minutes=protocol.latest_round_max_age_minutes)
        if now > due_at:
            overdue = max(1, _minutes(due_at, now))
        else:
            due_in = int((due_at - now).total_seconds() // 60)
    flags: list[Flag] = []
    if last is not None:
        pre = latest_pre_dose(rounds)
        is_pre = last.kind == MonitoringRound.Kind.PRE_DOSE
        flags = concerns(
            last.vitals,
            protocol.thresholds(),
            pre_dose=pre.vitals if pre is not None and not is_pre else None,
            is_pre_dose=is_pre,
        )
    minimum = protocol.min_observation_for(infusion.route)
    arrived_day = arrived.astimezone(tz).date()
    return ChairRow(
        infusion=infusion,
        stage=stage,
        minutes_in_stage=_minutes(stage.since or arrived, now),
        minutes_in_chair=_minutes(arrived, now),
        last_round=last,
        last_round_minutes=_minutes(last.taken_at, now) if last else None,
        round_due_at=due_at,
        due_in_minutes=due_in,
        overdue_minutes=overdue,
        observation_minimum=minimum,
        observation_left=max(0, minimum - observed_minutes(infusion, now))
        if infusion.ended_at
        else minimum,
        flags=flags,
        open_since=arrived_day if arrived_day < now.astimezone(tz).date() else None,
        needs_pre_dose=stage.stage == Stage.ARRIVED
        and not any(r.kind == MonitoringRound.Kind.PRE_DOSE for r in rounds),
    )


def nurse_first(row: ChairRow) -> tuple[bool, bool, bool, int, int]:
    """Sort key: an overdue round first, then flagged values, then today's patients before a
    session left open from an earlier day, then the longest in the chair."""
    left_open = row.open_since is not None
    return (not row.overdue, not row.flags, left_open, -row.minutes_in_chair, row.infusion.pk)


def chair_rows(
    sessions: Iterable[Infusion], protocol: ClinicProtocol, *, now: datetime, tz: ZoneInfo
) -> list[ChairRow]:
    """The board, what needs a nurse first on top."""
    rows = [chair_row(i, protocol, now=now, tz=tz) for i in sessions]
    return sorted(rows, key=nurse_first)
