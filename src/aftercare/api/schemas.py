"""Request and response bodies of the API; every error has the shape of ``ErrorOut``."""

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from aftercare.tracking.instruments import INSTRUMENTS

# Dates outside these bounds are refused (422), so date arithmetic can never overflow.
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)

if TYPE_CHECKING:
    InstrumentKey = str
else:
    # The documented choices are the instrument files present (tracking/instrument_data).
    InstrumentKey = Literal[tuple(INSTRUMENTS)]


class FieldError(Schema):
    field: str | None = Field(description="The field at fault, dotted; null for the whole body.")
    message: str


class Contact(Schema):
    label: str
    href: str = Field(description="A tel: or sms: link.")


class Crisis(Schema):
    """Where to get help now: sent with every urgent answer and with crisis words in a note,
    saved or not."""

    saved: bool = Field(description="False when the answers could not be saved.")
    title: str
    reasons: list[str]
    intro: str
    care_team_told: str | None
    contacts: list[Contact]
    emergency: str


class NextSteps(Schema):
    """After a saved submission that raised a high alert which is not a crisis (panic,
    dissociation that has not cleared, urges to use ketamine, much lower mood): what the web page
    shows. Never sent together with ``crisis``."""

    title: str
    reasons: list[str]
    told: str = Field(description="That the care team knows, and how soon it aims to look.")
    steps: list[str] = Field(description="What to do until then, most important first.")
    if_worse: str
    contacts: list[Contact] = Field(description="The clinic first, then emergencies.")
    emergency: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = Field(default_factory=list)
    crisis: Crisis | None = None


def _iso_day(value: object) -> object:
    # Plain pydantic would also read "0" or "1700000000" as a date (seconds since 1970).
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Use a date as YYYY-MM-DD.")
    return value


Day = Annotated[date, BeforeValidator(_iso_day), Field(ge=EARLIEST, le=LATEST)]


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100, description="Items per page, 1–100.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")
    date_from: Day | None = Field(None, alias="from", description="First day included.")
    date_to: Day | None = Field(None, alias="to", description="Last day included.")

    @field_validator("date_to")
    @classmethod
    def _ordered(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and start > value:
            raise ValueError("'to' must not be before 'from'")
        return value


class AlertQuery(PageQuery):
    status: Literal["open", "acknowledged", "resolved"] | None = None


# ----------------------------------------------------------------------------------- who am I


class ClinicOut(Schema):
    slug: str
    name: str
    timezone: str


class MeOut(Schema):
    email: str
    name: str
    role: str
    clinic: ClinicOut
    patient_id: UUID | None


# ------------------------------------------------------------------------------ patient's own

OneToTen = Annotated[StrictInt, Field(ge=1, le=10)]


class CheckInIn(Schema):
    """The daily check-in, as on the web form: mood 1–10 is required, the rest is optional."""

    mood: OneToTen
    energy: OneToTen | None = None
    interest: OneToTen | None = None
    sleep_quality: OneToTen | None = None
    anxiety: OneToTen | None = Field(None, description="10 is the worst.")
    nothing_unusual: StrictBool = Field(
        False, description="Answers no to every warning sign left null."
    )
    suicidal_thoughts: StrictBool | None = None
    panic: StrictBool | None = None
    unusual_perceptions: StrictBool | None = None
    lingering_dissociation: StrictBool | None = None
    ketamine_cravings: StrictBool | None = None
    nausea: StrictBool = False
    headache: StrictBool = False
    dizziness: StrictBool = False
    urinary_symptoms: StrictBool = False
    physical_symptoms: Annotated[str, StringConstraints(max_length=500)] = ""
    note: Annotated[str, StringConstraints(max_length=4000)] = ""
    submission_key: UUID | None = Field(
        None, description="Send the same key again on a retry: it is stored once."
    )


class CheckInOut(Schema):
    id: int
    submitted_at: datetime
    local_date: date
    mood: int
    energy: int | None
    interest: int | None
    sleep_quality: int | None
    anxiety: int | None
    suicidal_thoughts: bool | None
    panic: bool | None
    unusual_perceptions: bool | None
    lingering_dissociation: bool | None
    ketamine_cravings: bool | None
    nausea: bool
    headache: bool
    dizziness: bool
    urinary_symptoms: bool
    physical_symptoms: str
    note: str
    edited_at: datetime | None


class CheckInCreated(Schema):
    check_in: CheckInOut
    care_team_notified: bool
    crisis: Crisis | None
    next_steps: NextSteps | None


ItemId = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class ScaleIn(Schema):
    answers: dict[ItemId, Annotated[StrictInt, Field(ge=0, le=100)]] = Field(
        max_length=50, description="Item id (its LOINC code) -> answer value."
    )
    submission_key: UUID | None = None


class Band(Schema):
    key: str
    label: str


class ScaleOut(Schema):
    id: int
    instrument: str
    taken_at: datetime
    total: int
    band: Band
    answers: dict[str, int]


class ScaleCreated(Schema):
    response: ScaleOut
    warning_items: list[str]
    care_team_notified: bool
    crisis: Crisis | None
    next_steps: NextSteps | None


class PhaseOut(Schema):
    phase: str
    headline: str
    title: str
    summary: str
    expect: list[str]
    do: list[str]
    avoid: list[str]
    activities: list[str]
    day_index: int | None
    infusion_number: int | None
    series_total: int | None
    next_phase: str | None
    next_phase_title: str | None
    next_transition_at: datetime | None
    in_neuroplasticity_window: bool
    in_emergence_window: bool
    last_infusion_ended_at: datetime | None
    next_infusion_at: datetime | None
    gradual_response_note: str | None


# -------------------------------------------------------------------------------------- staff


class PatientOut(Schema):
    id: UUID
    name: str
    email: str
    birth_year: int | None
    phone: str = Field(description="The patient's phone as typed; empty if none on record.")
    support_name: str = Field(description="A support person the clinic may call; may be empty.")
    support_phone: str
    timezone: str
    clinician_email: str | None
    created_at: datetime


class CourseOut(Schema):
    id: int
    kind: str
    planned_infusions: int
    started_on: date
    completed_infusions: int


class InfusionOut(Schema):
    id: int
    course_id: int | None
    status: str = Field(
        description="The record: scheduled, in_progress, completed (the dose ended), cancelled, "
        "no_show."
    )
    stage: str = Field(
        description="Where the patient is, as the clinic's pages say it: booked, arrived, dosing, "
        "recovering (the dose ended, not discharged yet), discharged, recorded (a dose recorded "
        "afterwards), cancelled, no_show."
    )
    discharged_at: datetime | None
    route: str
    scheduled_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    dose_mg_per_kg: float | None
    weight_kg: float | None
    dose_mg: float | None
    total_mg: float | None


class CourseResultOut(Schema):
    course_id: int | None = Field(description="Null for a series inferred from infusions.")
    kind: str
    planned: int
    done: int
    status: str
    first_day: date | None
    last_day: date | None


class TrajectoryOut(Schema):
    today: date
    trajectory: str
    missing: str | None = Field(description="Why the class is not_enough_data, else null.")
    baseline: float | None
    baseline_days: int
    first_infusion: date | None
    peak: float | None
    peak_on: date | None
    recent: float | None
    slope: float | None
    peak_gain: float | None
    recent_gain: float | None
    retained: float | None
    post_days: int
    last_check_in: date | None
    follow_up_days: int | None
    courses: list[CourseResultOut]
    booster_proposed: bool
    booster_review_pending: bool
    non_response: bool


class AlertOut(Schema):
    id: int
    patient_id: UUID
    severity: str
    rule_id: str
    title: str
    explanation: str
    status: str
    source_kind: str
    triggering_answers: dict[str, Any]
    created_at: datetime
    ack_due_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None


class FhirBundle(Schema):
    """A FHIR R4 Bundle (type collection): Patient, Procedure, QuestionnaireResponse and
    Observation resources, as in ``aftercare export fhir`` (docs/fhir.md)."""

    model_config = ConfigDict(extra="allow")

    resourceType: Literal["Bundle"]
    id: str
    type: str
    entry: list[dict[str, Any]]


class Page(Schema):
    total: int
    limit: int
    offset: int


class CheckInPage(Page):
    items: list[CheckInOut]


class ScalePage(Page):
    items: list[ScaleOut]


class PatientPage(Page):
    items: list[PatientOut]


class InfusionPage(Page):
    items: list[InfusionOut]


class AlertPage(Page):
    items: list[AlertOut]
