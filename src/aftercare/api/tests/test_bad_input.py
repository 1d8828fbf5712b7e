"""Bad input on every operation: a 4xx in the one error shape, never a 500."""

import json

import pytest

from aftercare.api.tests.conftest import assert_error_shape, call, path_of
from aftercare.api.tests.endpoints import ENDPOINTS, PAGED

BAD_QUERIES = [
    ({"limit": "abc"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "9" * 400}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": "1.5"}, "offset"),
    ({"from": "not-a-date"}, "from"),
    ({"from": "2026-02-30"}, "from"),
    ({"to": "0001-01-01"}, "to"),
    ({"to": "9999-12-31"}, "to"),
    ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
    ({"status": "lost"}, "status"),
]


def caller(name, alice, carol):
    return alice.user if ENDPOINTS[name][2] == "patient" else carol


@pytest.mark.parametrize(
    ("name", "query", "field"),
    [
        (name, query, field)
        for name in sorted(PAGED)
        for query, field in BAD_QUERIES
        if "status" not in query or name.endswith("alerts")  # only alert lists take a status
    ],
    ids=str,
)
def test_bad_list_queries_are_422_naming_the_field(name, query, field, alice, carol, api_as):
    response = api_as(caller(name, alice, carol)).get(path_of(name, alice), query)
    data = assert_error_shape(response, 422)
    assert field in [error["field"] for error in data["errors"]]


@pytest.mark.parametrize("name", sorted(PAGED))
def test_the_last_page_and_beyond_are_empty_not_errors(name, alice, carol, api_as):
    response = api_as(caller(name, alice, carol)).get(
        path_of(name, alice), {"offset": "1000000", "from": "1900-01-01", "to": "2200-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("name", sorted(n for n, spec in ENDPOINTS.items() if "{alice}" in spec[1]))
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "1", "00000000-0000-0000-0000-000000000000"])
def test_a_bad_or_unknown_patient_id_is_a_4xx(name, bad_id, alice, carol, api_as):
    path = ENDPOINTS[name][1].format(alice=bad_id)
    response = api_as(carol).get(path)
    assert_error_shape(response, 404 if bad_id.startswith("0000") else 422)


WRITES = sorted(name for name, spec in ENDPOINTS.items() if spec[0] != "get")
BAD_BODIES = [
    ("", 422),  # empty: the body is required
    ("{not json", 400),
    ("[]", 422),
    ("null", 422),
    ("{}", 422),
    (json.dumps({"mood": "5", "answers": "none"}), 422),
    (json.dumps({"mood": 11, "answers": {"44250-9": 7}}), 422),
    (json.dumps({"mood": 0, "answers": {"44250-9": -1}}), 422),
    (json.dumps({"mood": 5.5, "answers": {"44250-9": 1.5}}), 422),
    (json.dumps({"mood": True, "answers": {"44250-9": True}}), 422),
    (json.dumps({"mood": 5, "note": "x" * 5000, "answers": {"x" * 1000: 1}}), 422),
    (json.dumps({"mood": 5, "submission_key": "nope", "answers": {}}), 422),
    ("9" * 10_000, 400),  # beyond what a JSON number may hold here
    (json.dumps({"mood": 5, "note": "x" * 3_000_000}), 413),  # over the upload limit
]


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize(("raw", "status"), BAD_BODIES, ids=lambda v: str(v)[:20])
def test_bad_bodies_are_refused_in_the_error_shape(name, raw, status, alice, api_as):
    response = api_as(alice.user).call(ENDPOINTS[name][0], path_of(name, alice), raw)
    assert_error_shape(response, status)
    assert alice.check_ins.count() == 0
    assert alice.scale_responses.count() == 0


def test_field_errors_name_the_field(alice, api_as):
    response = call(api_as(alice.user), "submit_check_in", alice, {"mood": 11, "energy": "x"})
    fields = {error["field"] for error in assert_error_shape(response, 422)["errors"]}
    assert {"mood", "energy"} <= fields


def test_an_unknown_questionnaire_is_refused(alice, api_as):
    response = api_as(alice.user).post("/api/v1/me/scales/bdi", {"answers": {}})
    data = assert_error_shape(response, 422)
    assert data["errors"][0]["field"] == "instrument"


def test_a_questionnaire_with_a_missing_or_unknown_item_names_it(alice, api_as):
    from aftercare.tracking.tests.records import PHQ9_ALL_ZERO

    answers = dict(PHQ9_ALL_ZERO)
    first = next(iter(answers))
    del answers[first]
    answers["99999-9"] = 1
    response = api_as(alice.user).post("/api/v1/me/scales/phq9", {"answers": answers})
    fields = {error["field"] for error in assert_error_shape(response, 422)["errors"]}
    assert {f"answers.{first}", "answers.99999-9"} <= fields
    # A value the item does not offer.
    response = api_as(alice.user).post(
        "/api/v1/me/scales/phq9", {"answers": {**PHQ9_ALL_ZERO, first: 4}}
    )
    fields = {error["field"] for error in assert_error_shape(response, 422)["errors"]}
    assert fields == {f"answers.{first}"}


def test_an_unsupported_method_is_not_a_500(alice, api_as):
    response = api_as(alice.user).call("delete", "/api/v1/me/check-ins")
    assert response.status_code == 405
