"""Filling in a questionnaire: the definition rendered, validation beside each item, the score."""

import re
import uuid

import pytest

from aftercare.audit.models import AuditEvent
from aftercare.safety.models import Alert
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import ScaleResponse

PHQ9 = get_instrument("phq9")
ITEM_IDS = [item.id for item in PHQ9.scored_items]


def answers(*values, difficulty=None):
    data = {item_id: str(v) for item_id, v in zip(ITEM_IDS, values, strict=True)}
    if difficulty is not None:
        data["69722-7"] = str(difficulty)
    return data


def test_the_page_renders_the_definition(as_user, alice):
    html = as_user(alice.user).get("/me/scales/phq9/").content.decode()
    assert html.count("<fieldset") == 10
    for item in PHQ9.items:
        assert item.text.replace("'", "&#x27;") in html
        assert html.count(f'type="radio" name="{item.id}"') == 4
    assert "Over the last 2 weeks, how often have you been bothered" in html
    assert "More than half the days" in html
    assert "Extremely difficult" in html
    assert "No permission required to reproduce, translate, display or distribute." in html


def test_a_complete_phq9_is_stored_and_the_score_shown_in_plain_words(as_user, alice):
    client = as_user(alice.user)
    response = client.post("/me/scales/phq9/", answers(2, 2, 1, 2, 1, 1, 1, 1, 0, difficulty=1))
    assert response.status_code == 302
    stored = ScaleResponse.objects.get(patient=alice)
    assert (stored.instrument, stored.total) == ("phq9", 11)
    assert stored.answers["44250-9"] == 2
    assert stored.answers["69722-7"] == 1
    assert response.url == f"/me/scales/phq9/{stored.pk}/"
    html = client.get(response.url).content.decode()
    assert re.search(r"11\s*<small>out of 27</small>", html)
    assert "moderate signs of depression" in html
    assert "not a diagnosis" in html
    assert AuditEvent.objects.filter(what="PHQ-9 response", action="create").exists()
    assert AuditEvent.objects.filter(what="PHQ-9 response", action="view").exists()


def test_gad7_is_served_by_the_same_engine(as_user, alice):
    client = as_user(alice.user)
    gad7 = get_instrument("gad7")
    data = {item.id: "3" for item in gad7.items}
    response = client.post("/me/scales/gad7/", data)
    stored = ScaleResponse.objects.get(patient=alice, instrument="gad7")
    assert stored.total == 21
    # Severe anxiety: what to do now first (safety.next_steps), with the way to the score.
    score_url = f"/me/scales/gad7/{stored.pk}/"
    assert f'href="{score_url}"' in response.content.decode()
    assert "severe anxiety" in client.get(score_url).content.decode()


@pytest.mark.parametrize("bad", ["4", "abc", "-1", "", "1.5", "9" * 1000])
def test_a_bad_answer_is_explained_beside_that_item_and_the_others_are_kept(as_user, alice, bad):
    data = answers(1, 2, 3, 0, 1, 2, 3, 0, 0, difficulty=2)
    data["44254-1"] = bad  # item 4
    response = as_user(alice.user).post("/me/scales/phq9/", data)
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(r'<p class="error" id="id_([\d-]+)_error">([^<]*)</p>', html)
    assert errors == [("44254-1", "Choose one answer for this question.")]
    assert 'aria-describedby="id_44254-1_error"' in html
    assert re.search(r'name="44250-9" value="1"[^>]*checked', html)
    assert re.search(r'name="44259-0" value="3"[^>]*checked', html)
    assert re.search(r'name="69722-7" value="2"[^>]*checked', html)
    assert "Please check these answers:" in html
    assert not ScaleResponse.objects.exists()


def test_a_missing_item_is_named_and_item_10_may_be_skipped(as_user, alice):
    data = answers(1, 1, 1, 1, 1, 1, 1, 1, 0)
    del data["44253-3"]  # item 8
    response = as_user(alice.user).post("/me/scales/phq9/", data)
    assert response.status_code == 400
    assert re.findall(r'id="id_([\d-]+)_error"', response.content.decode()) == ["44253-3"]
    data["44253-3"] = "0"
    assert as_user(alice.user).post("/me/scales/phq9/", data).status_code == 302


def test_item_9_answered_shows_where_to_get_help(as_user, alice):
    response = as_user(alice.user).post(
        "/me/scales/phq9/", answers(0, 0, 0, 0, 0, 0, 0, 0, 1), follow=True
    )
    html = response.content.decode()
    assert 'href="tel:988"' in html
    assert ScaleResponse.objects.get(patient=alice).total == 1


def test_item_9_answered_often_shows_the_crisis_screen_at_once(as_user, alice):
    response = as_user(alice.user).post("/me/scales/phq9/", answers(0, 0, 0, 0, 0, 0, 0, 0, 3))
    assert response.status_code == 200  # no redirect: the help is in this very response
    assert 'href="tel:988"' in response.content.decode()
    assert ScaleResponse.objects.get(patient=alice).total == 3


def test_item_9_on_an_incomplete_phq9_reaches_the_care_team_once(as_user, alice, carol):
    client = as_user(alice.user)
    data = {**answers(1, 1, 1, 1, 1, 1, 1, 1, 3), "submission_key": str(uuid.uuid4())}
    del data["44254-1"]  # item 4 left out
    for _ in range(2):  # sent twice without fixing it
        response = client.post("/me/scales/phq9/", data)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Your care team has been told, but your answers are not saved yet" in html
        assert 'href="tel:988"' in html
    alert = Alert.objects.get(patient=alice)
    assert (alert.rule_id, alert.severity, alert.owner) == ("phq9_item9", "urgent", carol)
    assert alert.triggering_answers == {"item_9": 3}
    assert "could not be saved" in alert.explanation
    assert not ScaleResponse.objects.exists()
    # Fixed and sent with the same form: stored, crisis screen, still one alert, now its own.
    response = client.post("/me/scales/phq9/", {**data, "44254-1": "1"})
    assert response.status_code == 200
    assert 'href="tel:988"' in response.content.decode()
    stored = ScaleResponse.objects.get(patient=alice)
    assert Alert.objects.get().source_id == str(stored.pk)


def test_an_incomplete_phq9_without_item_9_or_a_gad7_raises_nothing(as_user, alice):
    client = as_user(alice.user)
    data = answers(3, 3, 3, 3, 3, 3, 3, 3, 0)
    del data["44254-1"]
    response = client.post("/me/scales/phq9/", data)
    assert "Your care team has been told" not in response.content.decode()
    gad7 = {item.id: "3" for item in get_instrument("gad7").items[1:]}
    assert client.post("/me/scales/gad7/", gad7).status_code == 400
    assert not Alert.objects.exists()


def test_an_unknown_questionnaire_is_not_found(as_user, alice):
    assert as_user(alice.user).get("/me/scales/qids/").status_code == 404
    assert as_user(alice.user).post("/me/scales/qids/", {"a": "1"}).status_code == 404


def test_nobody_else_sees_a_score(as_user, alice, bob, carol, eve, client):
    response = as_user(alice.user).post("/me/scales/phq9/", answers(1, 1, 1, 1, 1, 1, 1, 1, 0))
    path = response.url
    for user in (bob.user, carol, eve):
        assert as_user(user).get(path).status_code == 404
    assert client.get(path).status_code == 302
    other = path.replace("/phq9/", "/gad7/")
    assert as_user(alice.user).get(other).status_code == 404  # the instrument must match
    for user in (carol, eve):
        assert as_user(user).get("/me/scales/phq9/").status_code == 404
        assert as_user(user).post("/me/scales/phq9/", answers(*[0] * 9)).status_code == 404
    assert ScaleResponse.objects.count() == 1


def test_a_stored_response_without_item_answers_still_shows_its_score(as_user, alice):
    from django.utils import timezone

    stored = ScaleResponse.objects.create(
        patient=alice, instrument="phq9", answers={}, total=16, taken_at=timezone.now()
    )
    html = as_user(alice.user).get(f"/me/scales/phq9/{stored.pk}/").content.decode()
    assert "moderately severe signs of depression" in html
