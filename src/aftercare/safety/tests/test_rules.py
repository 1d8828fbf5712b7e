"""Each rule against the numbers in CLINICAL.md, plus properties that hold for any answers."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.safety.rules import (
    DEFAULT_THRESHOLDS,
    RULES,
    CheckInAnswers,
    Severity,
    Thresholds,
    check_in_findings,
    gad7_findings,
    journal_findings,
    missed_check_ins,
    mood_worsening,
    note_findings,
    patient_concern,
    phq9_findings,
)

TODAY = date(2026, 3, 12)


def ids(findings):
    return [f.rule_id for f in findings]


def phq9(item9=0, rest=0):
    """PHQ-9 answers with item 9 (answers[8]) set and the other eight items equal to `rest`."""
    return [rest] * 8 + [item9]


def days_back(*moods):
    """Daily moods ending today: days_back(4, 3, 2) = 2 days ago 4, yesterday 3, today 2."""
    return {TODAY - timedelta(days=len(moods) - 1 - i): m for i, m in enumerate(moods)}


# --- every rule is documented ------------------------------------------------------------------


def test_every_rule_names_its_source_and_what_it_checks():
    for rule in RULES.values():
        assert rule.source.strip(), rule.id
        assert rule.explanation.strip(), rule.id
        assert rule.severity in Severity


def test_project_defaults_say_so():
    assert "default of this software" in RULES["mood_worsening"].source.replace(
        "defaults", "default"
    )
    assert "default of this software" in RULES["missed_check_ins"].source
    assert "crude aid, not a diagnosis" in RULES["journal_crisis_language"].source
    assert "crude aid, not a diagnosis" in RULES["note_crisis_language"].source
    assert "Simon" in RULES["phq9_item9"].source
    assert "Bauer" in RULES["phq9_item9"].source
    assert "Löwe" in RULES["phq9_worsening"].source
    assert "Spitzer" in RULES["severe_anxiety"].source


# --- check-ins ---------------------------------------------------------------------------------


def test_any_suicidal_thoughts_are_urgent():
    (finding,) = check_in_findings(CheckInAnswers(TODAY, mood=8, suicidal_thoughts=True))
    assert (finding.rule_id, finding.severity) == ("suicidal_thoughts", Severity.URGENT)
    assert finding.triggering_answers == {"suicidal_thoughts": True}
    assert finding.is_urgent


def test_no_or_unanswered_suicidal_question_raises_nothing():
    assert check_in_findings(CheckInAnswers(TODAY, mood=5, suicidal_thoughts=False)) == []
    assert check_in_findings(CheckInAnswers(TODAY, mood=5, suicidal_thoughts=None)) == []


def test_hallucinations_or_paranoia_are_urgent():
    (finding,) = check_in_findings(CheckInAnswers(TODAY, mood=5, unusual_perceptions=True))
    assert (finding.rule_id, finding.severity) == ("psychotic_symptoms", Severity.URGENT)


@pytest.mark.parametrize(
    ("anxiety", "panic", "fires"),
    [(8, None, False), (9, None, True), (10, False, True), (1, True, True), (None, None, False)],
)
def test_panic_or_anxiety_from_nine_is_high(anxiety, panic, fires):
    found = check_in_findings(CheckInAnswers(TODAY, mood=5, anxiety=anxiety, panic=panic))
    assert ids(found) == (["severe_anxiety"] if fires else [])
    if fires:
        assert found[0].severity == Severity.HIGH


def test_the_anxiety_threshold_is_the_clinics():
    answers = CheckInAnswers(TODAY, mood=5, anxiety=8)
    assert check_in_findings(answers, thresholds=Thresholds(anxiety_severe=8))
    assert not check_in_findings(answers, thresholds=Thresholds(anxiety_severe=10))


def test_dissociation_on_treatment_day_is_expected():
    answers = CheckInAnswers(TODAY, mood=5, lingering_dissociation=True)
    assert check_in_findings(answers, last_infusion_date=TODAY) == []


def test_dissociation_on_a_later_day_is_high():
    answers = CheckInAnswers(TODAY, mood=5, lingering_dissociation=True)
    (finding,) = check_in_findings(answers, last_infusion_date=TODAY - timedelta(days=1))
    assert (finding.rule_id, finding.severity) == ("prolonged_dissociation", Severity.HIGH)
    assert finding.triggering_answers["latest_infusion_date"] == "2026-03-11"
    (without_infusion,) = check_in_findings(answers, last_infusion_date=None)
    assert without_infusion.rule_id == "prolonged_dissociation"


def test_cravings_are_high_and_urinary_symptoms_routine():
    found = check_in_findings(
        CheckInAnswers(TODAY, mood=5, ketamine_cravings=True, urinary_symptoms=True)
    )
    assert [(f.rule_id, f.severity) for f in found] == [
        ("ketamine_cravings", Severity.HIGH),
        ("urinary_symptoms", Severity.ROUTINE),
    ]


def test_findings_come_most_urgent_first():
    found = check_in_findings(
        CheckInAnswers(TODAY, mood=5, urinary_symptoms=True, panic=True, suicidal_thoughts=True)
    )
    assert [f.severity for f in found] == [Severity.URGENT, Severity.HIGH, Severity.ROUTINE]


# --- daily mood against the pre-treatment baseline ----------------------------------------------


def test_three_days_three_points_below_baseline_is_worsening():
    finding = mood_worsening(
        baseline_moods=[6, 6, 6], recent_daily_moods=days_back(3, 3, 3), today=TODAY
    )
    assert finding is not None
    assert (finding.rule_id, finding.severity) == ("mood_worsening", Severity.HIGH)
    assert finding.triggering_answers == {
        "recent_mean_mood": 3.0,
        "baseline_mean_mood": 6.0,
        "days": 3,
    }


def test_a_smaller_drop_or_one_bad_day_is_not():
    assert not mood_worsening(
        baseline_moods=[6, 6, 6], recent_daily_moods=days_back(4, 3, 3), today=TODAY
    )  # mean 3.33: 2.67 below
    assert not mood_worsening(
        baseline_moods=[6, 6, 6], recent_daily_moods=days_back(1), today=TODAY
    )  # one day only
    gap = {TODAY: 1, TODAY - timedelta(days=2): 1, TODAY - timedelta(days=3): 1}
    assert not mood_worsening(baseline_moods=[6, 6, 6], recent_daily_moods=gap, today=TODAY)


def test_no_baseline_no_worsening():
    assert not mood_worsening(
        baseline_moods=[9, 9], recent_daily_moods=days_back(1, 1, 1), today=TODAY
    )


def test_the_mood_window_and_drop_are_the_clinics():
    clinic = Thresholds(mood_window_days=2, mood_drop_points=2)
    assert mood_worsening(
        baseline_moods=[6, 6, 6], recent_daily_moods=days_back(4, 4), today=TODAY, thresholds=clinic
    )


@given(
    baseline=st.lists(st.integers(1, 10), min_size=3, max_size=14),
    recent=st.lists(st.integers(1, 10), min_size=3, max_size=3),
)
def test_mood_worsening_fires_exactly_when_the_mean_drops_three_points(baseline, recent):
    finding = mood_worsening(
        baseline_moods=baseline, recent_daily_moods=days_back(*recent), today=TODAY
    )
    drop = Fraction(sum(baseline), len(baseline)) - Fraction(sum(recent), 3)
    assert (finding is not None) == (drop >= 3)


def test_a_drop_of_exactly_the_threshold_counts_despite_float_rounding():
    # 32/6 - 7/3 is exactly 3, but 2.9999999999999996 in floating point.
    assert mood_worsening(
        baseline_moods=[1, 1, 1, 9, 10, 10], recent_daily_moods=days_back(1, 1, 5), today=TODAY
    )


# --- PHQ-9 (CLINICAL.md §1.1) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item9", "severity"),
    [(1, Severity.HIGH), (2, Severity.URGENT), (3, Severity.URGENT)],
)
def test_item9_is_graded_by_the_answer(item9, severity):
    (finding,) = phq9_findings(phq9(item9=item9))
    assert (finding.rule_id, finding.severity) == ("phq9_item9", severity)
    assert finding.triggering_answers == {"item_9": item9, "total": item9}


def test_item9_zero_raises_nothing_even_with_a_high_total():
    assert phq9_findings(phq9(item9=0, rest=3)) == []


def test_five_points_over_baseline_is_worsening_four_is_not():
    (finding,) = phq9_findings([1] * 7 + [3, 0], baseline_total=5)
    assert finding.rule_id == "phq9_worsening"  # total 10 = baseline + 5 (Löwe 2004)
    assert phq9_findings([1] * 7 + [2, 0], baseline_total=5) == []  # total 9


def test_back_at_baseline_after_a_response_is_loss_of_response():
    answers = [2] * 7 + [0, 0]  # total 14
    (finding,) = phq9_findings(answers, baseline_total=14, best_total_since_baseline=7)
    assert (finding.rule_id, finding.severity) == ("phq9_loss_of_response", Severity.HIGH)
    # No response yet (8 is more than half of 14): no finding.
    assert phq9_findings(answers, baseline_total=14, best_total_since_baseline=8) == []
    # Below the baseline still: no finding.
    assert phq9_findings([2] * 6 + [1, 0, 0], baseline_total=14, best_total_since_baseline=7) == []


def test_loss_of_response_needs_a_baseline_of_at_least_ten():
    answers = [1] * 8 + [0]  # total 8
    assert phq9_findings(answers, baseline_total=8, best_total_since_baseline=2) == []


@pytest.mark.parametrize(
    "bad", [[], [0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], ["1"] * 9, [True] * 9]
)
def test_phq9_answers_that_are_not_nine_numbers_0_to_3_are_refused(bad):
    with pytest.raises(ValueError, match="PHQ-9"):
        phq9_findings(bad)


@given(answers=st.lists(st.integers(0, 3), min_size=9, max_size=9), baseline=st.integers(0, 27))
def test_phq9_rules_follow_item9_and_baseline(answers, baseline):
    found = {f.rule_id: f for f in phq9_findings(answers, baseline_total=baseline)}
    assert ("phq9_item9" in found) == (answers[8] > 0)
    if answers[8]:
        expected = Severity.URGENT if answers[8] >= 2 else Severity.HIGH
        assert found["phq9_item9"].severity == expected
    assert ("phq9_worsening" in found) == (sum(answers) - baseline >= 5)


# --- GAD-7 (CLINICAL.md §1.2) ------------------------------------------------------------------


def test_gad7_from_fifteen_is_severe():
    (finding,) = gad7_findings([3, 2, 2, 2, 2, 2, 2])  # 15
    assert (finding.rule_id, finding.severity) == ("severe_anxiety", Severity.HIGH)
    assert gad7_findings([2] * 7) == []  # 14


@given(st.lists(st.integers(0, 3), min_size=7, max_size=7))
def test_gad7_fires_exactly_in_the_severe_band(answers):
    assert bool(gad7_findings(answers)) == (sum(answers) >= 15)


# --- engagement, concern, journal --------------------------------------------------------------


def test_three_whole_days_without_a_check_in_is_routine():
    assert missed_check_ins(last_check_in=TODAY - timedelta(days=3), today=TODAY) is None
    finding = missed_check_ins(last_check_in=TODAY - timedelta(days=4), today=TODAY)
    assert finding is not None
    assert (finding.rule_id, finding.severity) == ("missed_check_ins", Severity.ROUTINE)
    assert finding.triggering_answers["days_without"] == 3
    assert missed_check_ins(last_check_in=None, today=TODAY) is None


def test_a_concern_is_high_with_or_without_text():
    assert patient_concern("").severity == Severity.HIGH
    assert patient_concern("  I feel odd  ").triggering_answers == {"text": "I feel odd"}
    assert len(patient_concern("x" * 10_000).triggering_answers["text"]) == 2000


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Some days I want to die.", Severity.HIGH),
        ("I thought about how to END MY LIFE", Severity.HIGH),
        ("I can\u2019t go on like this", Severity.ROUTINE),
        ("Felt hopeless at work", Severity.ROUTINE),
        ("Self-harm urges again, and hopeless", Severity.HIGH),
        # Common ways of saying it that the first list missed.
        ("Some nights I want to end it all", Severity.HIGH),
        ("I took too many of my pills", Severity.HIGH),
        ("I don’t want to be here anymore", Severity.HIGH),
        ("They'd be better off without me", Severity.HIGH),
    ],
)
def test_journal_phrases_are_found_whatever_the_case_or_apostrophe(text, severity):
    (finding,) = journal_findings(text)
    assert (finding.rule_id, finding.severity) == ("journal_crisis_language", severity)


def test_journal_words_must_stand_alone():
    assert journal_findings("A good walk; the overdose of sunshine was nice") != []  # crude
    assert journal_findings("Suicidesque is not a word; hopelessness is different") == []
    assert journal_findings("") == []


@given(st.text(max_size=300), st.sampled_from(["kill myself", "better off dead"]))
def test_a_listed_phrase_is_found_in_any_surrounding_text(noise, phrase):
    (finding,) = journal_findings(f"{noise} {phrase} {noise}")
    assert finding.severity == Severity.HIGH


@given(
    mood=st.integers(1, 10),
    anxiety=st.none() | st.integers(1, 10),
    flags=st.lists(st.none() | st.booleans(), min_size=5, max_size=5),
    urinary=st.booleans(),
    infusion_days_ago=st.none() | st.integers(0, 30),
)
def test_check_in_findings_hold_for_any_answers(mood, anxiety, flags, urinary, infusion_days_ago):
    answers = CheckInAnswers(
        TODAY,
        mood=mood,
        anxiety=anxiety,
        suicidal_thoughts=flags[0],
        panic=flags[1],
        unusual_perceptions=flags[2],
        lingering_dissociation=flags[3],
        ketamine_cravings=flags[4],
        urinary_symptoms=urinary,
    )
    last = None if infusion_days_ago is None else TODAY - timedelta(days=infusion_days_ago)
    found = check_in_findings(answers, last_infusion_date=last)
    rule_ids = ids(found)
    assert set(rule_ids) <= RULES.keys()
    assert len(rule_ids) == len(set(rule_ids))
    assert ("suicidal_thoughts" in rule_ids) == bool(flags[0])
    assert ("psychotic_symptoms" in rule_ids) == bool(flags[2])
    assert any(f.is_urgent for f in found) == bool(flags[0] or flags[2])
    assert ("urinary_symptoms" in rule_ids) == urinary
    ranks = [["urgent", "high", "routine"].index(f.severity) for f in found]
    assert ranks == sorted(ranks)
    for finding in found:
        assert finding.source == RULES[finding.rule_id].source
        assert finding.explanation


def test_default_thresholds_match_clinical_md():
    assert DEFAULT_THRESHOLDS.gad7_severe == 15  # Spitzer 2006
    assert DEFAULT_THRESHOLDS.phq9_worsening_points == 5  # Löwe 2004
    assert DEFAULT_THRESHOLDS.phq9_response_fraction == 0.5  # McInnes 2022


def test_the_safety_readme_lists_every_rule():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for rule_id in RULES:
        assert f"`{rule_id}`" in readme, rule_id


# --- check-in notes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "severity"),
    [("Some days I want to die.", Severity.HIGH), ("Feeling hopeless again", Severity.ROUTINE)],
)
def test_a_check_in_note_is_read_with_the_journal_list(note, severity):
    (finding,) = check_in_findings(CheckInAnswers(TODAY, mood=5, note=note))
    assert (finding.rule_id, finding.severity) == ("note_crisis_language", severity)
    assert finding.explanation.startswith("Check-in note contains: “")


def test_a_calm_or_empty_note_raises_nothing():
    calm = CheckInAnswers(TODAY, mood=5, note="Slept well, walked the dog.")
    assert check_in_findings(calm) == []
    assert note_findings("") == []


def test_an_urgent_yes_in_the_same_check_in_makes_the_note_finding_redundant():
    answers = CheckInAnswers(TODAY, mood=2, suicidal_thoughts=True, note="I want to die")
    assert ids(check_in_findings(answers)) == ["suicidal_thoughts"]
    calm = CheckInAnswers(TODAY, mood=2, panic=True, note="I want to die")
    assert ids(check_in_findings(calm)) == ["note_crisis_language", "severe_anxiety"]


@given(st.text(max_size=300))
def test_a_note_finds_exactly_what_a_shared_journal_entry_finds(text):
    in_note = [(f.severity, f.triggering_answers) for f in note_findings(text)]
    in_journal = [(f.severity, f.triggering_answers) for f in journal_findings(text)]
    assert in_note == in_journal
