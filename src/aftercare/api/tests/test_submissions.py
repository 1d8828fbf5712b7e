"""API submissions take the web's path: same validation, safety rules, alerts, crisis and audit."""

import uuid

from aftercare.api.tests.conftest import assert_error_shape
from aftercare.audit.models import AuditEvent
from aftercare.safety import wording
from aftercare.safety.models import Alert
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.tests.records import PHQ9_ALL_ZERO
from aftercare.tracking.texts import WARNING_ITEM

CHECK_INS = "/api/v1/me/check-ins"
PHQ9 = get_instrument("phq9")
ITEM_9 = next(item.id for item in PHQ9.items if item.number == 9)


def test_a_check_in_is_stored_audited_and_returned(alice, api_as):
    response = api_as(alice.user).post(CHECK_INS, {"mood": 7, "energy": 5, "note": "calm day"})
    assert response.status_code == 201
    data = response.json()
    entry = alice.check_ins.get()
    assert data["check_in"]["id"] == entry.pk
    assert (entry.mood, entry.energy, entry.note) == (7, 5, "calm day")
    assert data["crisis"] is None
    assert data["care_team_notified"] is False
    event = AuditEvent.objects.get(what="check-in", action="create")
    assert (event.actor, event.patient) == (alice.user, alice)


def test_an_urgent_answer_raises_the_alert_and_brings_the_crisis_info(alice, carol, api_as):
    response = api_as(alice.user).post(CHECK_INS, {"mood": 2, "suicidal_thoughts": True})
    assert response.status_code == 201
    data = response.json()
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity, alert.owner) == ("suicidal_thoughts", "urgent", carol)
    crisis = data["crisis"]
    assert crisis["saved"] is True
    assert crisis["title"] == str(wording.URGENT_TITLE)
    assert str(wording.URGENT_REASONS["suicidal_thoughts"]) in crisis["reasons"]
    hrefs = [c["href"] for c in crisis["contacts"]]
    assert "tel:988" in hrefs
    assert "tel:+1 555 0100" in hrefs  # the clinic's own number
    assert data["care_team_notified"] is True


def test_a_high_alert_is_raised_without_the_crisis_screen(alice, api_as):
    data = api_as(alice.user).post(CHECK_INS, {"mood": 5, "panic": True}).json()
    assert Alert.objects.get(patient=alice).severity == "high"
    assert data["crisis"] is None
    assert data["care_team_notified"] is True


def test_crisis_words_in_a_note_reach_the_care_team_as_on_the_web(alice, api_as):
    body = {"mood": 4, "note": "I keep thinking everyone is better off dead without me"}
    data = api_as(alice.user).post(CHECK_INS, body).json()
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity) == ("note_crisis_language", "high")
    assert data["care_team_notified"] is True
    # Words of suicide or self-harm bring where to get help now, as the web page shows it.
    assert data["crisis"]["saved"] is True
    assert data["crisis"]["title"] == str(wording.WORDS_TITLE)
    assert data["crisis"]["reasons"] == [str(wording.WORDS_REASON)]
    assert data["crisis"]["care_team_told"] == str(wording.CARE_TEAM_TOLD)
    assert "tel:988" in [c["href"] for c in data["crisis"]["contacts"]]


def test_hopeless_words_in_a_note_tell_the_care_team_without_the_crisis_screen(alice, api_as):
    data = api_as(alice.user).post(CHECK_INS, {"mood": 3, "note": "Feeling hopeless"}).json()
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity) == ("note_crisis_language", "routine")
    assert data["care_team_notified"] is True
    assert data["crisis"] is None


def test_an_urgent_yes_on_refused_input_still_brings_the_crisis_info(alice, api_as):
    for body in (
        {"mood": 42, "suicidal_thoughts": True},  # refused by the schema
        {"suicidal_thoughts": True},  # mood missing
        {"mood": "low", "unusual_perceptions": True},
    ):
        response = api_as(alice.user).post(CHECK_INS, body)
        data = assert_error_shape(response, 422)
        assert data["crisis"]["saved"] is False
        assert data["crisis"]["care_team_told"] == str(wording.CARE_TEAM_TOLD)
        assert "tel:988" in [c["href"] for c in data["crisis"]["contacts"]]
    assert not alice.check_ins.exists()
    # Each refused sending told the care team (no key: nothing ties them together).
    rules = sorted(Alert.objects.filter(patient=alice).values_list("rule_id", flat=True))
    assert rules == ["psychotic_symptoms", "suicidal_thoughts", "suicidal_thoughts"]
    assert {a.severity for a in Alert.objects.filter(patient=alice)} == {"urgent"}


def test_a_refused_urgent_check_in_then_saved_with_its_key_is_one_alert(alice, carol, api_as):
    client = api_as(alice.user)
    key = str(uuid.uuid4())
    for _ in range(2):  # refused twice, by the form and by the schema
        assert_error_shape(
            client.post(CHECK_INS, {"suicidal_thoughts": True, "submission_key": key}), 422
        )
    bad_schema = {"mood": "low", "suicidal_thoughts": "yes", "submission_key": key}
    assert_error_shape(client.post(CHECK_INS, bad_schema), 422)
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity, alert.owner) == ("suicidal_thoughts", "urgent", carol)
    assert "could not be saved" in alert.explanation
    saved = client.post(CHECK_INS, {"mood": 3, "suicidal_thoughts": True, "submission_key": key})
    assert saved.status_code == 201
    assert saved.json()["crisis"]["saved"] is True
    assert Alert.objects.filter(patient=alice).count() == 1


def test_refused_input_without_an_urgent_yes_has_no_crisis_info(alice, api_as):
    data = assert_error_shape(api_as(alice.user).post(CHECK_INS, {"mood": 42}), 422)
    assert "crisis" not in data
    for body in ({"answers": {ITEM_9: 0, "44250-9": "x"}}, {"answers": [1, 2]}, [ITEM_9]):
        data = assert_error_shape(api_as(alice.user).post("/api/v1/me/scales/phq9", body), 422)
        assert "crisis" not in data
    assert not Alert.objects.exists()


def test_nothing_unusual_answers_no_only_where_left_open(alice, api_as):
    api_as(alice.user).post(
        CHECK_INS, {"mood": 5, "nothing_unusual": True, "unusual_perceptions": True}
    )
    entry = alice.check_ins.get()
    assert (entry.suicidal_thoughts, entry.unusual_perceptions) == (False, True)
    assert Alert.objects.get(patient=alice).rule_id == "psychotic_symptoms"


def test_a_retry_with_the_same_key_is_stored_once(alice, api_as):
    client = api_as(alice.user)
    body = {"mood": 2, "suicidal_thoughts": True, "submission_key": str(uuid.uuid4())}
    first = client.post(CHECK_INS, body).json()
    second = client.post(CHECK_INS, body).json()
    assert alice.check_ins.count() == 1
    assert Alert.objects.filter(patient=alice).count() == 1
    assert first["check_in"]["id"] == second["check_in"]["id"]
    assert second["crisis"] is not None  # the retry still shows where to get help


def test_nul_characters_in_free_text_never_block_a_check_in(alice, api_as):
    response = api_as(alice.user).post(CHECK_INS, {"mood": 5, "note": "a\x00b"})
    assert response.status_code == 201
    assert alice.check_ins.get().note == "ab"


def test_a_questionnaire_is_scored_banded_and_stored(alice, api_as):
    answers = {**PHQ9_ALL_ZERO, **{item.id: 2 for item in PHQ9.scored_items[:5]}}
    response = api_as(alice.user).post("/api/v1/me/scales/phq9", {"answers": answers})
    assert response.status_code == 201
    data = response.json()
    assert data["response"]["total"] == 10
    assert data["response"]["band"]["key"] == PHQ9.band_for(10).key
    assert alice.scale_responses.get().total == 10
    assert data["crisis"] is None
    assert AuditEvent.objects.filter(what="PHQ-9 response", actor=alice.user).exists()


def test_phq9_item_9_brings_the_crisis_info(alice, api_as):
    client = api_as(alice.user)
    data = client.post("/api/v1/me/scales/phq9", {"answers": {**PHQ9_ALL_ZERO, ITEM_9: 1}}).json()
    # "Several days" is a high alert for the care team; the patient gets the crisis numbers, as
    # beside the web score (CLINICAL.md §5), without the urgent screen's reasons.
    assert data["warning_items"] == [ITEM_9]
    assert data["crisis"]["title"] == str(WARNING_ITEM)
    assert data["crisis"]["reasons"] == []
    assert data["crisis"]["care_team_told"] == str(wording.CARE_TEAM_TOLD)
    assert "tel:988" in [c["href"] for c in data["crisis"]["contacts"]]
    assert data["care_team_notified"] is True
    Alert.objects.all().delete()
    data = client.post("/api/v1/me/scales/phq9", {"answers": {**PHQ9_ALL_ZERO, ITEM_9: 2}}).json()
    assert str(wording.URGENT_REASONS["phq9_item9"]) in data["crisis"]["reasons"]
    assert Alert.objects.get(patient=alice).rule_id == "phq9_item9"


def test_item_9_on_a_refused_phq9_tells_the_care_team_and_brings_the_crisis_info(alice, api_as):
    client = api_as(alice.user)
    key = str(uuid.uuid4())
    refused = {"answers": {ITEM_9: 2, "44250-9": 7}, "submission_key": key}  # item 1 out of range
    for _ in range(2):
        data = assert_error_shape(client.post("/api/v1/me/scales/phq9", refused), 422)
        assert data["crisis"]["saved"] is False
        assert data["crisis"]["care_team_told"] == str(wording.CARE_TEAM_TOLD)
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity) == ("phq9_item9", "urgent")
    # Refused by the schema itself (a word for an answer): the same alert, not a second one.
    wrong_type = {"answers": {ITEM_9: 2, "44250-9": "often"}, "submission_key": key}
    data = assert_error_shape(client.post("/api/v1/me/scales/phq9", wrong_type), 422)
    assert data["crisis"]["care_team_told"] == str(wording.CARE_TEAM_TOLD)
    assert Alert.objects.filter(patient=alice).count() == 1
    answers = {**PHQ9_ALL_ZERO, ITEM_9: 2}
    saved = client.post("/api/v1/me/scales/phq9", {"answers": answers, "submission_key": key})
    assert saved.status_code == 201
    assert saved.json()["crisis"]["saved"] is True
    assert saved.json()["care_team_notified"] is True
    assert Alert.objects.filter(patient=alice).count() == 1


def test_the_phase_says_where_the_patient_is(alice, api_as):
    data = api_as(alice.user).get("/api/v1/me/phase").json()
    assert data["phase"] == "not_started"
    assert data["title"] == "Before your first treatment"
    assert data["do"]


def test_lists_page_and_filter_by_day(alice, api_as):
    from datetime import timedelta

    from django.utils import timezone

    from aftercare.tracking.actions import submit_check_in

    now = timezone.now()
    for days in range(5):
        submit_check_in(patient=alice, answers={"mood": 5}, submitted_at=now - timedelta(days=days))
    client = api_as(alice.user)
    data = client.get(CHECK_INS, {"limit": 2, "offset": 1}).json()
    assert (data["total"], data["limit"], data["offset"], len(data["items"])) == (5, 2, 1, 2)
    newest_first = [item["local_date"] for item in client.get(CHECK_INS).json()["items"]]
    assert newest_first == sorted(newest_first, reverse=True)
    day = newest_first[2]
    data = client.get(CHECK_INS, {"from": day, "to": day}).json()
    assert [item["local_date"] for item in data["items"]] == [day]


def test_the_fhir_bundle_is_the_patients_own(alice_records, bob, carol, api_as):
    mine = api_as(alice_records.user).get("/api/v1/me/fhir").json()
    staff = api_as(carol).get(f"/api/v1/patients/{alice_records.pk}/fhir").json()
    assert mine == staff
    assert mine["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in mine["entry"]}
    assert {"Patient", "Procedure", "QuestionnaireResponse", "Observation"} <= kinds
    bobs = api_as(bob.user).get("/api/v1/me/fhir").json()
    assert str(alice_records.pk) not in str(bobs)


def test_crisis_words_in_a_refused_check_in_reach_the_care_team_and_bring_the_crisis_info(
    alice, api_as
):
    client = api_as(alice.user)
    for body in (
        {"mood": 42, "note": "thinking about suicide"},  # refused by the schema
        {"note": "thinking about suicide"},  # mood missing
    ):
        data = assert_error_shape(client.post(CHECK_INS, body), 422)
        assert data["crisis"]["saved"] is False
        assert data["crisis"]["title"] == str(wording.UNSAVED_CHECK_IN_WORDS)
        assert "tel:988" in [c["href"] for c in data["crisis"]["contacts"]]
    hopeless = assert_error_shape(client.post(CHECK_INS, {"note": "hopeless"}), 422)
    assert "crisis" not in hopeless  # the care team is told (routine); no crisis screen
    alerts = Alert.objects.filter(patient=alice).order_by("pk")
    assert [(a.rule_id, a.severity) for a in alerts] == [("note_crisis_language", "high")] * 2 + [
        ("note_crisis_language", "routine")
    ]
    assert all("could not be saved" in a.explanation for a in alerts)
