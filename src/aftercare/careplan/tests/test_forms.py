"""Bad input on every care-plan form: a message beside the field, nothing typed lost, 400."""

import pytest
import time_machine

BAD = {
    "session": [
        ({}, ["day", "time", "with_whom"]),
        ({"day": "2026-02-30", "time": "25:99", "with_whom": "Dr Kim"}, ["day", "time"]),
        ({"day": "tomorrow", "time": "noon", "with_whom": "x" * 201}, ["day", "time", "with_whom"]),
        (
            {"day": "2026-05-01", "time": "10:00", "with_whom": "Dr Kim", "note": "n" * 2001},
            ["note"],
        ),
        # A year typed wrong, either way: a year or more from 2026-03-06 (the tests' today).
        ({"day": "2062-03-06", "time": "10:00", "with_whom": "Dr Kim"}, ["day"]),
        ({"day": "2025-03-04", "time": "10:00", "with_whom": "Dr Kim"}, ["day"]),
        ({"day": "0001-01-01", "time": "10:00", "with_whom": "Dr Kim"}, ["day"]),
    ],
    "habit": [
        ({}, ["kind", "description"]),
        ({"kind": "juggling", "description": "d" * 201}, ["kind", "description"]),
        ({"kind": ["1", "2"], "description": " "}, ["kind", "description"]),
    ],
    "medication": [
        ({}, ["name", "medication_class"]),
        ({"name": "m" * 201, "medication_class": "ssri", "dose": "d" * 201}, ["name", "dose"]),
        ({"name": "Sertraline", "medication_class": "42"}, ["medication_class"]),
        (
            {
                "name": "Sertraline",
                "medication_class": "ssri",
                "started_on": "2026-13-01",
                "stopped_on": "yesterday",
            },
            ["started_on", "stopped_on"],
        ),
        (
            {
                "name": "Sertraline",
                "medication_class": "ssri",
                "started_on": "2026-05-10",
                "stopped_on": "2026-05-01",
            },
            ["stopped_on"],
        ),
        (
            {
                "name": "Sertraline",
                "medication_class": "ssri",
                "started_on": "1899-12-31",
                "stopped_on": "9999-12-31",
            },
            ["started_on", "stopped_on"],
        ),
    ],
    "goal": [
        ({}, ["horizon", "text"]),
        ({"horizon": "short", "text": "nul\x00byte"}, ["text"]),
        ({"horizon": "forever", "text": "g" * 301}, ["horizon", "text"]),
    ],
}
CHOICES = {"kind", "medication_class", "horizon"}
CASES = [(kind, data, fields) for kind, cases in BAD.items() for data, fields in cases]


@pytest.mark.parametrize(("kind", "data", "fields"), CASES)
@pytest.mark.parametrize("who", ["patient", "staff"])
@time_machine.travel("2026-03-06T12:00:00Z", tick=False)
def test_it_explains_bad_input_beside_the_field_and_keeps_what_was_typed(
    kind, data, fields, who, as_user, alice, carol
):
    if who == "patient":
        client, url = as_user(alice.user), "/me/care-plan/"
    else:
        client, url = as_user(carol), f"/clinic/patients/{alice.pk}/care-plan/"
    post = {"action": kind} | {f"{kind}-{k}": v for k, v in data.items()}
    response = client.post(url, post)
    assert response.status_code == 400
    page = response.content.decode()
    for field in fields:
        assert f'id="id_{kind}-{field}_error"' in page, field
    # Typed text comes back; an invalid choice from a list has nothing to select.
    for key, value in data.items():
        if key in CHOICES:
            continue
        if isinstance(value, str) and value.strip() and len(value) < 100:
            assert value in page
    assert not alice.integration_sessions.exists()
    assert not alice.habit_goals.exists()
    assert not alice.care_medications.exists()
    assert not alice.plan_goals.exists()


@pytest.mark.parametrize(
    "post",
    [
        {},
        {"action": "nonsense"},
        {"action": "tick"},
        {"action": "tick", "habit": "abc"},
        {"action": "tick", "habit": "9" * 40},
        {"action": "tick", "habit": "-1"},
    ],
)
def test_it_refuses_a_post_it_cannot_understand_without_crashing(post, as_user, alice):
    response = as_user(alice.user).post("/me/care-plan/", post)
    assert response.status_code == 400


def test_it_keeps_a_long_but_allowed_text(as_user, alice):
    response = as_user(alice.user).post(
        "/me/care-plan/",
        {"action": "goal", "goal-horizon": "medium", "goal-text": "g" * 300},
    )
    assert response.status_code == 302
    assert alice.plan_goals.get().text == "g" * 300


@time_machine.travel("2026-11-28T12:00:00Z", tick=False)
def test_a_session_dated_years_away_is_questioned_and_a_near_one_is_kept(as_user, alice):
    def add(day: str):
        post = {
            "action": "session",
            "session-day": day,
            "session-time": "10:00",
            "session-with_whom": "Dr Kim",
        }
        return as_user(alice.user).post("/me/care-plan/", post)

    refused = add("2020-11-28")
    assert refused.status_code == 400
    assert (
        'id="id_session-day_error">Please give a date within a year of today.'
        in refused.content.decode()
    )
    assert add("2026-01-15").status_code == 302  # a session earlier this year, recorded late
    assert add("2027-06-01").status_code == 302  # booked well ahead
    assert alice.integration_sessions.count() == 2
