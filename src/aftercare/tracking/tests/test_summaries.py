"""The day's summary (docs/tracking.md): mean per local day, lows kept, yes never averaged."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from aftercare.tracking.summaries import day_summaries

DAY = date(2026, 3, 10)


@dataclass
class Entry:
    local_date: date
    mood: int
    submitted_at: datetime = field(default_factory=lambda: datetime(2026, 3, 10, tzinfo=UTC))
    energy: int | None = None
    interest: int | None = None
    sleep_quality: int | None = None
    anxiety: int | None = None
    suicidal_thoughts: bool | None = None
    panic: bool | None = None
    unusual_perceptions: bool | None = None
    lingering_dissociation: bool | None = None
    ketamine_cravings: bool | None = None
    nausea: bool = False
    headache: bool = False
    dizziness: bool = False
    urinary_symptoms: bool = False


def test_several_check_ins_in_a_day_make_one_summary_with_the_mean_mood():
    (summary,) = day_summaries([Entry(DAY, 3), Entry(DAY, 8), Entry(DAY, 6)])
    assert summary.day == DAY
    assert summary.check_ins == 3
    assert summary.mood == 5.7
    assert (summary.mood_low, summary.mood_high) == (3, 8)


def test_unanswered_scores_are_left_out_of_the_mean():
    (summary,) = day_summaries([Entry(DAY, 5, energy=4), Entry(DAY, 5), Entry(DAY, 5, energy=7)])
    assert summary.energy == 5.5
    assert summary.anxiety is None


def test_one_yes_makes_the_day_a_yes():
    entries = [
        Entry(DAY, 6, suicidal_thoughts=False, panic=None),
        Entry(DAY, 6, suicidal_thoughts=True, panic=False),
        Entry(DAY, 6, suicidal_thoughts=False),
    ]
    (summary,) = day_summaries(entries)
    assert summary.suicidal_thoughts is True
    assert summary.panic is False
    assert summary.ketamine_cravings is None
    assert summary.any_warning_sign


def test_side_effects_count_if_reported_once():
    (summary,) = day_summaries([Entry(DAY, 5, headache=True), Entry(DAY, 5)])
    assert (summary.headache, summary.nausea) == (True, False)


def test_days_come_oldest_first_and_follow_the_stored_local_day():
    # Stored local_date decides the day, not the UTC date of submission.
    late_evening = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)  # still 10 March in Los Angeles
    days = day_summaries(
        [Entry(DAY + timedelta(1), 7), Entry(DAY, 2, submitted_at=late_evening), Entry(DAY, 4)]
    )
    assert [(d.day, d.mood) for d in days] == [(DAY, 3.0), (DAY + timedelta(1), 7.0)]


def test_no_check_ins_no_days():
    assert day_summaries([]) == []


entries = st.builds(
    Entry,
    local_date=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 10)),
    mood=st.integers(1, 10),
    anxiety=st.one_of(st.none(), st.integers(1, 10)),
    suicidal_thoughts=st.one_of(st.none(), st.booleans()),
)


@given(st.lists(entries, max_size=40))
def test_summaries_account_for_every_check_in(check_ins):
    days = day_summaries(check_ins)
    assert sum(d.check_ins for d in days) == len(check_ins)
    assert [d.day for d in days] == sorted({c.local_date for c in check_ins})
    for d in days:
        assert d.mood_low - 0.05 <= d.mood <= d.mood_high + 0.05
        same_day = [c for c in check_ins if c.local_date == d.day]
        assert d.suicidal_thoughts is (
            True
            if any(c.suicidal_thoughts for c in same_day)
            else False
            if any(c.suicidal_thoughts is False for c in same_day)
            else None
        )
