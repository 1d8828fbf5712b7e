"""Where a patient is in recovery: the pure phase engine fed from the database."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftercare.accounts.models import Patient
from aftercare.guidance.phases import (
    Infusion,
    Phase,
    PhaseSpan,
    PhaseState,
    current_phase,
    phase_spans,
    under_way,
)
from aftercare.guidance.texts import GRADUAL_RESPONSE, PHASE_TEXTS, PhaseText
from aftercare.insights.early_response import early_response
from aftercare.treatment.models import Course
from aftercare.treatment.models import Infusion as InfusionRecord

# The gradual-responder note fits the series, from day 3 until the course's last weeks.
_GRADUAL_NOTE_PHASES = (Phase.DAY_3, Phase.FIRST_WEEK, Phase.WEEKS_2_4)


@dataclass(frozen=True)
class Companion:
    state: PhaseState
    text: PhaseText
    course: Course | None
    series_number: int | None  # position in the induction series, e.g. 3 ...
    series_total: int | None  # ... of 6
    last_infusion: InfusionRecord | None
    next_infusion: InfusionRecord | None
    gradual_response: PhaseText | None  # shown when days 1-3 brought no clear rise

    @property
    def next_title(self) -> Promise | None:
        return PHASE_TEXTS[self.state.next_phase].title if self.state.next_phase else None

    @property
    def staff_title(self) -> Promise:
        """The phase's title for the care team: "Before the first treatment", not "your"."""
        return self.text.staff_title or self.text.title

    @property
    def headline(self) -> str:
        """E.g. "Day 2 after infusion 3 of 6", "Treatment day", "Day 40 after your booster"."""
        return self._headline(staff=False)

    @property
    def staff_headline(self) -> str:
        """The same for the care team: "Day 40 after a booster", not "your booster"."""
        return self._headline(staff=True)

    def _headline(self, *, staff: bool) -> str:
        state, day = self.state, self.state.day_index
        if state.phase == Phase.NOT_STARTED:
            return ""
        if self.series_number and self.series_total:
            which = _("infusion %(n)s of %(total)s") % {
                "n": self.series_number,
                "total": self.series_total,
            }
        elif self.course is not None and self.course.kind == Course.Kind.MAINTENANCE:
            which = _("a booster") if staff else _("your booster")
        else:
            which = _("the latest infusion") if staff else _("your infusion")
        if state.phase == Phase.IN_SESSION:
            return _("In treatment: %(which)s") % {"which": which}
        if not day:
            return _("Treatment day: %(which)s") % {"which": which}
        return ngettext("Day %(day)s after %(which)s", "Day %(day)s after %(which)s", day) % {
            "day": day,
            "which": which,
        }


def read_infusions(patient: Patient) -> list[InfusionRecord]:
    """The patient's completed, under way and booked infusions (cancelled ones left out), in one
    query:
    a page reads them once and passes them to ``companion_for`` and the questionnaire schedule."""
    return list(
        patient.infusions.filter(
            status__in=(
                InfusionRecord.Status.COMPLETED,
                InfusionRecord.Status.IN_PROGRESS,
                InfusionRecord.Status.SCHEDULED,
            )
        ).order_by("scheduled_at", "pk")
    )


def companion_for(
    patient: Patient, now: datetime, infusions: Sequence[InfusionRecord] | None = None
) -> Companion:
    """``infusions``: what ``read_infusions(patient)`` returned, when the caller has it."""
    records = read_infusions(patient) if infusions is None else infusions
    completed = sorted(
        (
            i
            for i in records
            if i.status == InfusionRecord.Status.COMPLETED
            and i.started_at is not None
            and i.started_at <= now
            and i.ended_at is not None
        ),
        key=lambda i: i.started_at,  # type: ignore[arg-type,return-value]
    )
    last = completed[-1] if completed else None
    # Dosing now (started, no end recorded yet): the patient is in session, and that infusion
    # counts in the series; the guidance after it waits for its end.
    in_chair = max(
        (
            i
            for i in records
            if i.status == InfusionRecord.Status.IN_PROGRESS
            and i.started_at is not None
            and i.started_at <= now
            and (last is None or i.started_at > last.started_at)  # type: ignore[operator]
        ),
        key=lambda i: i.started_at,  # type: ignore[arg-type,return-value]
        default=None,
    )
    course = _current_course(patient, in_chair or last, now)
    series_number = series_total = None
    # The position in the series only while the latest infusion is one of it: an infusion
    # recorded outside the course after the series is not "infusion 6 of 6".
    latest = in_chair or last
    in_series = latest is None or latest.course_id == getattr(course, "pk", None)
    if course is not None and course.kind == Course.Kind.INDUCTION and in_series:
        series_total = course.planned_infusions
        counted = completed + ([in_chair] if in_chair else [])
        series_number = sum(1 for i in counted if i.course_id == course.pk) or None
    phase_infusions = [
        Infusion(started_at=i.started_at, ended_at=i.ended_at)
        for i in completed
        if i.started_at is not None and i.ended_at is not None
    ]
    if in_chair is not None:
        phase_infusions.append(under_way(in_chair.started_at, now))  # type: ignore[arg-type]
    state = current_phase(
        phase_infusions,
        now,
        patient.tz,
        series_total=series_total,
    )
    next_infusion = min(
        (
            i
            for i in records
            if i.status == InfusionRecord.Status.SCHEDULED and i.scheduled_at > now
        ),
        key=lambda i: i.scheduled_at,
        default=None,
    )
    gradual = None
    in_window = bool(series_number) and state.phase in _GRADUAL_NOTE_PHASES
    if in_window and last and _no_clear_early_response(patient, completed[0], last) is True:
        gradual = GRADUAL_RESPONSE
    return Companion(
        state=state,
        text=PHASE_TEXTS[state.phase],
        course=course,
        series_number=series_number,
        series_total=series_total,
        last_infusion=last,
        next_infusion=next_infusion,
        gradual_response=gradual,
    )


def _current_course(patient: Patient, last: InfusionRecord | None, now: datetime) -> Course | None:
    """The course of the latest infusion given; else the latest course begun by today. A
    course booked for later (the boosters after a series) is not yet the current one."""
    courses = patient.courses.order_by("-started_on", "-pk")
    if last is not None and last.course_id is not None:
        return courses.filter(pk=last.course_id).first()
    today = now.astimezone(patient.tz).date()
    return courses.filter(started_on__lte=today).first() or courses.first()


def _no_clear_early_response(
    patient: Patient, first: InfusionRecord, last: InfusionRecord
) -> bool | None:
    """True when daily mood on days 1-3 after ``last`` did not clearly rise above baseline."""
    assert first.started_at is not None
    assert last.ended_at is not None
    tz = patient.tz
    first_day = first.started_at.astimezone(tz).date()
    last_day = last.ended_at.astimezone(tz).date()
    rows = patient.check_ins.filter(
        local_date__gte=first_day - timedelta(days=7), local_date__lte=last_day + timedelta(days=3)
    ).values_list("local_date", "mood")
    by_day: defaultdict[date, list[int]] = defaultdict(list)
    for day, mood in rows:
        by_day[day].append(mood)
    daily = {day: sum(moods) / len(moods) for day, moods in by_day.items()}
    baseline = [m for day, m in daily.items() if day < first_day]
    window = [m for day, m in daily.items() if 1 <= (day - last_day).days <= 3]
    result = early_response(baseline, window).clear
    return None if result is None else not result


@dataclass(frozen=True)
class Stage:
    span: PhaseSpan
    text: PhaseText
    current: bool


def timeline_for(patient: Patient, companion: Companion) -> list[Stage]:
    """Every phase after the latest infusion, with its guidance, for looking ahead and back."""
    last = companion.last_infusion
    if last is None or last.started_at is None or last.ended_at is None:
        return []
    spans = phase_spans(Infusion(started_at=last.started_at, ended_at=last.ended_at), patient.tz)
    current = companion.state.phase
    return [Stage(span, PHASE_TEXTS[span.phase], span.phase == current) for span in spans]
