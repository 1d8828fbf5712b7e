"""Bad input on every care-plan form: a message beside the field, nothing typed lost, 400."""

import pytest

BAD = {
    "session": [
        ({}, ["day", "time", "with_whom"]),
        ({"day": "2026-02-30", "time": "25:99", "with_whom": "Dr Kim"}, ["day", "time"]),
        ({"day": "tomorrow", "time": "noon", "with_whom": "x" * 201}, ["day", "time", "with_whom"]),
        (
            {"day": "2026-05-01", "time": "10:00", "with_whom": "Dr Kim", "note": "n" * 2001},
            ["note"],
        ),
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
