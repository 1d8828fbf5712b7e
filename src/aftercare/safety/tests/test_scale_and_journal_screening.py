"""PHQ-9, GAD-7 and shared journal entries are screened like check-ins."""

import pytest
from conftest import utc
from django.db import transaction

from aftercare.safety.models import Alert
from aftercare.safety.screening import GAD7_ITEMS, PHQ9_ITEMS, screen_journal, screen_scale
from aftercare.tracking.models import JournalEntry, ScaleResponse


def phq9(patient, answers, at):
    """A PHQ-9 stored the way the tracking app stores it: LOINC item code -> answer."""
    with transaction.atomic():
        response = ScaleResponse.objects.create(
            patient=patient,
            instrument="phq9",
            answers={**dict(zip(PHQ9_ITEMS, answers, strict=True)), "69722-7": 1},
            total=sum(answers),
            taken_at=at,
        )
        return screen_scale(response)


def test_item9_several_days_is_high_and_nearly_every_day_urgent(alice):
    (high,) = phq9(alice, [1] * 8 + [1], utc(2026, 3, 1, 12))
    assert (high.rule_id, high.severity) == ("phq9_item9", "high")
    assert high.triggering_answers == {"item_9": 1, "total": 9}
    (urgent,) = phq9(alice, [1] * 8 + [3], utc(2026, 3, 2, 12))
    assert (urgent.rule_id, urgent.severity) == ("phq9_item9", "urgent")
    assert "Simon" in urgent.source_text
    assert urgent.source_kind == "scale"


def test_five_points_over_the_patients_baseline_is_worsening(alice):
    assert phq9(alice, [1] * 8 + [0], utc(2026, 3, 1, 12)) == []  # baseline 8
    assert phq9(alice, [1] * 4 + [2] * 4 + [0], utc(2026, 3, 8, 12)) == []  # 12: +4
    (alert,) = phq9(alice, [1] * 3 + [2] * 5 + [0], utc(2026, 3, 15, 12))  # 13: +5
    assert alert.rule_id == "phq9_worsening"
    assert alert.triggering_answers == {"total": 13, "baseline_total": 8}
    # Still worse a week later: the open alert stands for it.
    assert phq9(alice, [2] * 8 + [0], utc(2026, 3, 22, 12)) == []


def test_the_baseline_is_the_last_phq9_before_the_first_infusion(alice, infusion):
    phq9(alice, [3] * 8 + [0], utc(2026, 2, 1, 12))  # 24, long before
    phq9(alice, [2] * 7 + [0, 0], utc(2026, 3, 1, 12))  # 14, the baseline
    infusion(alice, ended_at=utc(2026, 3, 2, 18))
    assert phq9(alice, [1] * 6 + [0] * 3, utc(2026, 3, 9, 12)) == []  # 6: a response
    (alert,) = phq9(alice, [2] * 7 + [0, 0], utc(2026, 3, 30, 12))  # back at 14
    assert alert.rule_id == "phq9_loss_of_response"
    assert alert.triggering_answers == {"total": 14, "baseline_total": 14, "best_total": 6}


def test_a_list_of_answers_from_older_rows_is_read_in_item_order(alice):
    response = ScaleResponse.objects.create(
        patient=alice, instrument="phq9", answers=[0] * 8 + [2], total=2, taken_at=utc(2026, 3, 1)
    )
    (alert,) = screen_scale(response)
    assert alert.severity == "urgent"


def test_gad7_in_the_severe_band_is_high(alice):
    response = ScaleResponse.objects.create(
        patient=alice,
        instrument="gad7",
        answers=dict(zip(GAD7_ITEMS, [3, 2, 2, 2, 2, 2, 2], strict=True)),
        total=15,
        taken_at=utc(2026, 3, 1),
    )
    (alert,) = screen_scale(response)
    assert (alert.rule_id, alert.severity) == ("severe_anxiety", "high")
    assert alert.triggering_answers == {"gad7_total": 15}


@pytest.mark.parametrize(
    "answers",
    [{"44250-9": 1}, [0] * 5, [0] * 8 + [7], "nonsense", None, dict.fromkeys(PHQ9_ITEMS, "x")],
)
def test_unreadable_answers_are_refused_not_ignored(alice, answers):
    response = ScaleResponse(
        patient=alice, instrument="phq9", answers=answers, total=0, taken_at=utc(2026, 3, 1)
    )
    with pytest.raises(ValueError, match=r"nswers|PHQ-9"):
        screen_scale(response)


def test_instruments_without_safety_rules_raise_nothing(alice):
    response = ScaleResponse(
        patient=alice, instrument="qids", answers=[3] * 16, total=27, taken_at=utc(2026, 3, 1)
    )
    assert screen_scale(response) == []


def journal(patient, body, shared):
    return JournalEntry.objects.create(
        patient=patient, written_at=utc(2026, 3, 1), body=body, shared_with_care_team=shared
    )


def test_private_journal_entries_are_never_screened(alice):
    assert screen_journal(journal(alice, "I want to die", shared=False)) == []
    assert not Alert.objects.exists()


def test_shared_entries_with_crisis_words_raise_an_alert(alice):
    (alert,) = screen_journal(journal(alice, "Honestly I want to die some days.", shared=True))
    assert (alert.rule_id, alert.severity, alert.source_kind) == (
        "journal_crisis_language",
        "high",
        "journal",
    )
    assert alert.triggering_answers == {"phrases": ["want to die"]}
    assert "crude aid, not a diagnosis" in alert.source_text


def test_an_edited_entry_is_not_flagged_twice_but_a_worse_one_is(alice):
    entry = journal(alice, "Feeling hopeless.", shared=True)
    (routine,) = screen_journal(entry)
    assert routine.severity == "routine"
    entry.body = "Feeling hopeless, really hopeless."
    assert screen_journal(entry) == []
    entry.body = "Feeling hopeless. I thought about how to kill myself."
    (high,) = screen_journal(entry)
    assert high.severity == "high"


def test_ordinary_entries_raise_nothing(alice):
    assert screen_journal(journal(alice, "Walked by the river. Felt calm.", shared=True)) == []
