"""“Something concerns me” on every patient page: one tap tells the care team."""

import pytest

from aftercare.safety import wording
from aftercare.safety.models import Alert


def test_the_button_is_on_every_patient_page(as_user, alice):
    client = as_user(alice.user)
    for url in ("/me/", "/me/safety-plan/", "/me/concern/"):
        html = client.get(url).content.decode()
        assert 'action="/me/concern/"' in html, url
        assert str(wording.CONCERN_BUTTON) in html, url


def test_it_is_not_offered_to_staff(as_user, carol):
    assert 'action="/me/concern/"' not in as_user(carol).get("/clinic/patients/").content.decode()


def test_pressing_it_raises_a_high_alert_and_shows_whom_to_call(as_user, alice, carol):
    response = as_user(alice.user).post("/me/concern/", {"text": "Dizzy since this morning"})
    assert response.status_code == 200
    alert = Alert.objects.get()
    assert (alert.rule_id, alert.severity, alert.owner) == ("patient_concern", "high", carol)
    assert alert.triggering_answers == {"text": "Dizzy since this morning"}
    html = response.content.decode()
    assert str(wording.CONCERN_TITLE) in html
    assert 'href="tel:988"' in html
    assert 'href="tel:+1 555 0100"' in html
    assert "call 911" in html


def test_a_concern_leads_with_the_clinic_and_crisis_words_with_the_crisis_line(as_user, alice):
    import re

    def buttons(html: str) -> list[tuple[str, str]]:
        return re.findall(r'<a class="button( secondary)?" href="([^"]+)"', html)

    physical = as_user(alice.user).post("/me/concern/", {"text": "Dizzy, heart racing"})
    assert buttons(physical.content.decode())[:2] == [
        ("", "tel:+1 555 0100"),
        (" secondary", "tel:911"),
    ]
    for words in ("I want to kill myself", "I took too many of my pills"):
        crisis = as_user(alice.user).post("/me/concern/", {"text": words})
        assert buttons(crisis.content.decode())[0] == ("", "tel:988"), words


def test_text_is_optional(as_user, alice):
    page = as_user(alice.user).get("/me/concern/").content.decode()
    assert 'what worries you <span class="optional">(optional)</span>' in page  # said once
    assert "(optional) <span" not in page
    assert as_user(alice.user).post("/me/concern/", {}).status_code == 200
    assert Alert.objects.get().triggering_answers == {"text": ""}


def test_too_much_text_is_refused_and_kept(as_user, alice):
    text = "a" * 2001
    response = as_user(alice.user).post("/me/concern/", {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_text_error"' in html
    assert text in html
    assert not Alert.objects.exists()


def test_staff_and_strangers_cannot_use_it(as_user, carol, client, db):
    assert as_user(carol).post("/me/concern/", {}).status_code == 404
    response = client.post("/me/concern/", {})
    assert response.status_code == 302
    assert not Alert.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_needs_a_login(client, db, method):
    response = getattr(client, method)("/me/concern/")
    assert response.url.startswith("/accounts/login/")
