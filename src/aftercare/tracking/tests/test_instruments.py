"""The instrument definitions match CLINICAL.md §1 code for code."""

import json

import pytest

from aftercare.tracking.instruments import (
    DATA_DIR,
    INSTRUMENTS,
    InstrumentDefinitionError,
    get_instrument,
    parse_instrument,
)
from aftercare.tracking.scoring import score

# CLINICAL.md §1.1 table, in item order.
PHQ9_ITEM_LOINC = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
    "44258-2", "44252-5", "44253-3", "44260-8",
]  # fmt: skip
# CLINICAL.md §1.2, in item order.
GAD7_ITEM_LOINC = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
FREQUENCY = [
    ("LA6568-5", "Not at all", 0),
    ("LA6569-3", "Several days", 1),
    ("LA6570-1", "More than half the days", 2),
    ("LA6571-9", "Nearly every day", 3),
]
PFIZER = (
    "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, "
    "Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. "
    "No permission required to reproduce, translate, display or distribute."
)


def options(item):
    return [(o.code, o.label, o.value) for o in item.options]


def test_phq9_has_the_loinc_codes_of_clinical_md():
    phq9 = get_instrument("phq9")
    assert (phq9.loinc_panel, phq9.loinc_total) == ("44249-1", "44261-6")
    assert [i.loinc for i in phq9.scored_items] == PHQ9_ITEM_LOINC
    assert [i.id for i in phq9.scored_items] == PHQ9_ITEM_LOINC
    assert [i.number for i in phq9.items] == list(range(1, 11))
    for item in phq9.scored_items:
        assert options(item) == FREQUENCY
    assert phq9.recall_window_days == 14
    assert phq9.stem.startswith("Over the last 2 weeks")


def test_phq9_item_10_is_the_unscored_functional_difficulty():
    item = get_instrument("phq9").item("69722-7")
    assert (item.number, item.scored, item.required) == (10, False, False)
    assert options(item) == [
        ("LA6572-7", "Not difficult at all", 0),
        ("LA6573-5", "Somewhat difficult", 1),
        ("LA6575-0", "Very difficult", 2),
        ("LA6574-3", "Extremely difficult", 3),
    ]


def test_phq9_item_wording_is_the_published_wording():
    texts = [item.text for item in get_instrument("phq9").scored_items]
    assert texts[0] == "Little interest or pleasure in doing things"
    assert texts[1] == "Feeling down, depressed, or hopeless"
    assert (
        texts[8] == "Thoughts that you would be better off dead, or of hurting yourself in some way"
    )


def test_gad7_has_the_loinc_codes_of_clinical_md():
    gad7 = get_instrument("gad7")
    assert (gad7.loinc_panel, gad7.loinc_total) == ("69737-5", "70274-6")
    assert [i.loinc for i in gad7.items] == GAD7_ITEM_LOINC
    for item in gad7.items:
        assert options(item) == FREQUENCY
    assert [i.text for i in gad7.items][:2] == [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
    ]


@pytest.mark.parametrize("key", ["phq9", "gad7"])
def test_it_carries_the_copyright_line_and_band_sources(key):
    instrument = get_instrument(key)
    assert instrument.copyright == PFIZER
    assert ("Kroenke" if key == "phq9" else "Spitzer") in instrument.bands_source


def test_phq9_bands_are_kroenke_2001():
    bands = [(b.key, b.min, b.max) for b in get_instrument("phq9").bands]
    assert bands == [
        ("minimal", 0, 4),
        ("mild", 5, 9),
        ("moderate", 10, 14),
        ("moderately_severe", 15, 19),
        ("severe", 20, 27),
    ]


def test_gad7_bands_are_spitzer_2006():
    bands = [(b.key, b.min, b.max) for b in get_instrument("gad7").bands]
    assert bands == [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)]


def test_every_data_file_is_loaded():
    assert set(INSTRUMENTS) == {json.loads(p.read_text())["key"] for p in DATA_DIR.glob("*.json")}


TOY = {
    "key": "toy3",
    "name": "TOY-3",
    "title": "A made-up three-item scale",
    "recall_window_days": 7,
    "stem": "In the last week:",
    "copyright": "Nobody's.",
    "answer_lists": {
        "yes_no": {"options": [{"code": "n", "label": "No", "value": 0},
                               {"code": "y", "label": "Yes", "value": 2}]}
    },
    "items": [
        {"id": "a", "number": 1, "text": "A?", "answers": "yes_no"},
        {"id": "b", "number": 2, "text": "B?", "answers": "yes_no"},
        {"id": "c", "number": 3, "text": "C?", "answers": "yes_no", "scored": False,
         "required": False},
    ],
    "bands_source": "test",
    "bands": [{"key": "low", "label": "Low", "min": 0, "max": 1},
              {"key": "high", "label": "High", "min": 2, "max": 4}],
}  # fmt: skip


def test_a_new_instrument_is_only_data():
    toy = parse_instrument(TOY)
    assert (toy.total_min, toy.total_max) == (0, 4)
    result = score(toy, {"a": 2, "b": 0, "c": 2})
    assert (result.total, result.band.key) == (2, "high")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["bands"].__setitem__(1, {**d["bands"][1], "min": 3}), "gap"),
        (lambda d: d["bands"].__setitem__(1, {**d["bands"][1], "max": 3}), "end at 3"),
        (lambda d: d["items"].__setitem__(1, {**d["items"][1], "id": "a"}), "repeat"),
        (lambda d: d["items"].__setitem__(0, {**d["items"][0], "answers": "nope"}), "unknown"),
        (lambda d: d["items"].__setitem__(0, {**d["items"][0], "required": False}), "required"),
        (lambda d: d.pop("stem"), "missing 'stem'"),
    ],
)
def test_a_broken_definition_is_refused_at_load(change, message):
    data = json.loads(json.dumps(TOY))
    change(data)
    with pytest.raises(InstrumentDefinitionError, match=message):
        parse_instrument(data)
