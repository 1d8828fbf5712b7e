"""Scoring against CLINICAL.md §1: total = sum of items, bands at exactly 5/10/15/20 and 5/10/15."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.scoring import INVALID, MISSING, AnswersInvalid, clean_answers, score

PHQ9 = get_instrument("phq9")
GAD7 = get_instrument("gad7")
ITEM_VALUES = st.integers(min_value=0, max_value=3)


def answers_for(instrument, values):
    return {item.id: v for item, v in zip(instrument.scored_items, values, strict=True)}


@given(st.lists(ITEM_VALUES, min_size=9, max_size=9), st.one_of(st.none(), ITEM_VALUES))
def test_phq9_total_is_the_sum_of_items_1_to_9_and_item_10_never_counts(values, difficulty):
    answers = answers_for(PHQ9, values)
    if difficulty is not None:
        answers["69722-7"] = difficulty
    result = score(PHQ9, answers)
    assert result.total == sum(values)
    assert 0 <= result.total <= 27
    assert result.band.min <= result.total <= result.band.max


@given(st.lists(ITEM_VALUES, min_size=7, max_size=7))
def test_gad7_total_is_the_sum_and_stays_within_0_to_21(values):
    result = score(GAD7, answers_for(GAD7, values))
    assert result.total == sum(values)
    assert 0 <= result.total <= 21


def phq9_with_total(total):
    values = [0] * 9
    for i in range(9):
        values[i] = min(3, total - sum(values))
    assert sum(values) == total
    return answers_for(PHQ9, values)


def gad7_with_total(total):
    values = [0] * 7
    for i in range(7):
        values[i] = min(3, total - sum(values))
    return answers_for(GAD7, values)


# Kroenke 2001: "scores of 5, 10, 15, 20 represented mild, moderate, moderately severe, severe".
@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
        (14, "moderate"), (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"),
        (27, "severe"),
    ],
)  # fmt: skip
def test_phq9_bands_change_exactly_at_5_10_15_20(total, band):
    assert score(PHQ9, phq9_with_total(total)).band.key == band


# Spitzer 2006: cut points 5, 10, 15 = mild, moderate, severe.
@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
     (14, "moderate"), (15, "severe"), (21, "severe")],
)  # fmt: skip
def test_gad7_bands_change_exactly_at_5_10_15(total, band):
    assert score(GAD7, gad7_with_total(total)).band.key == band


@given(st.integers(min_value=0, max_value=27))
def test_every_phq9_total_falls_in_exactly_one_band(total):
    assert sum(1 for band in PHQ9.bands if band.contains(total)) == 1


def test_item_9_above_zero_is_flagged_whatever_the_total():
    answers = answers_for(PHQ9, [0] * 8 + [1])
    result = score(PHQ9, answers)
    assert result.total == 1
    assert [item.id for item in result.warnings] == ["44260-8"]
    assert score(PHQ9, answers_for(PHQ9, [3] * 8 + [0])).warnings == ()


def test_numeric_strings_are_accepted_as_form_posts_send_them():
    answers = {key: str(value) for key, value in phq9_with_total(12).items()}
    assert score(PHQ9, answers).total == 12


@pytest.mark.parametrize("bad", [4, -1, "4", "abc", "", None, 1.5, "1.0", True, "9" * 400, [1]])
def test_a_bad_answer_names_its_item(bad):
    answers = phq9_with_total(10)
    answers["44259-0"] = bad
    with pytest.raises(AnswersInvalid) as raised:
        score(PHQ9, answers)
    expected = MISSING if bad in ("", None) else INVALID
    assert raised.value.errors == {"44259-0": expected}


def test_a_missing_item_is_named_and_an_unknown_key_refused():
    answers = phq9_with_total(10)
    del answers["44250-9"]
    answers["not-an-item"] = 1
    with pytest.raises(AnswersInvalid) as raised:
        clean_answers(PHQ9, answers)
    assert raised.value.errors == {"44250-9": MISSING, "not-an-item": INVALID}


def test_the_optional_item_10_may_be_left_out_but_not_be_out_of_range():
    answers = phq9_with_total(3)
    assert "69722-7" not in clean_answers(PHQ9, answers)
    with pytest.raises(AnswersInvalid):
        clean_answers(PHQ9, {**answers, "69722-7": 4})
