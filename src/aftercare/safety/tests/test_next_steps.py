"""Right after reporting panic, lingering dissociation, urges to use ketamine or a much lower
mood, the patient reads what happens next and what to do until then, in the same response."""

import re

import pytest

from aftercare.safety.models import Alert, SafetySettings
from aftercare.safety.next_steps import ADVICE, SUICIDE_RULES, within
from aftercare.safety.rules import RULES, Severity
from aftercare.tracking.instruments import get_instrument
from aftercare.tracking.models import CheckIn

CHECK_IN = {"mood": "5", "anxiety": "6", "suicidal_thoughts": "no"}
TITLE = "Saved. Here is what to do now."

# High rules that have a screen of their own: crisis words (the crisis screen) and "Something
# concerns me" (the concern page).
OWN_SCREEN = {"journal_crisis_language", "note_crisis_language", "patient_concern"}


def hrefs(html):
    return re.findall(r'class="button[^"]*" href="([^"]+)"', html)


def test_panic_gets_what_to_do_now_and_when_the_care_team_will_look(as_user, alice):
    response = as_user(alice.user).post("/me/check-in/", {**CHECK_IN, "panic": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert TITLE in html
    assert "You told us about severe anxiety or panic." in html
    assert "aims to look at this within 4 hours" in html
    assert "Breathe in gently through your nose" in html
    assert "call the emergency number" in html
    # Not a suicide crisis: the clinic is the first number offered, the crisis line stays.
    links = hrefs(html)
    assert links[0] == "tel:+1 555 0100"
    assert "tel:988" in links
    assert "Call 911 (emergency)" in html
    assert 'href="/me/"' in html
    assert CheckIn.objects.get(patient=alice).panic is True
    assert Alert.objects.get(patient=alice).rule_id == "severe_anxiety"


def test_the_time_follows_the_clinics_own_window(as_user, alice):
    settings = SafetySettings.for_clinic(alice.clinic)
    settings.high_ack_minutes = 90
    settings.save()
    html = as_user(alice.user).post("/me/check-in/", {**CHECK_IN, "ketamine_cravings": "yes"})
    html = html.content.decode()
    assert "within 1 hour 30 minutes" in html
    assert "urges to use ketamine outside the clinic" in html
    assert "Stay away from ketamine your clinic has not given you" in html


def test_an_urgent_answer_keeps_the_crisis_screen(as_user, alice):
    answers = {**CHECK_IN, "panic": "yes", "suicidal_thoughts": "yes"}
    html = as_user(alice.user).post("/me/check-in/", answers).content.decode()
    assert TITLE not in html
    assert hrefs(html)[0] == "tel:988"  # the crisis line first


@pytest.mark.parametrize("extra", [{}, {"urinary_symptoms": "yes"}])
def test_nothing_or_a_routine_sign_keeps_the_thank_you(as_user, alice, extra):
    response = as_user(alice.user).post("/me/check-in/", {**CHECK_IN, **extra}, follow=True)
    html = response.content.decode()
    assert "Thank you. Your check-in is saved." in html
    assert TITLE not in html


def test_an_edit_that_adds_panic_shows_it_too(as_user, alice):
    client = as_user(alice.user)
    client.post("/me/check-in/", CHECK_IN)
    entry = CheckIn.objects.get(patient=alice)
    response = client.post(f"/me/check-ins/{entry.pk}/edit/", {**CHECK_IN, "panic": "yes"})
    assert TITLE in response.content.decode()


def test_a_severe_gad7_shows_what_to_do_with_a_link_to_the_score(as_user, alice):
    gad7 = get_instrument("gad7")
    answers = {item.id: "3" for item in gad7.scored_items}
    response = as_user(alice.user).post("/me/scales/gad7/", answers)
    html = response.content.decode()
    assert response.status_code == 200
    assert TITLE in html
    assert re.search(r'href="/me/scales/gad7/\d+/"[^>]*>See your score', html)


def test_an_item_9_warning_keeps_the_score_page_with_the_crisis_numbers(as_user, alice):
    phq9 = get_instrument("phq9")
    client = as_user(alice.user)

    def phq9_with(values):
        answers = {item.id: str(v) for item, v in zip(phq9.scored_items, values, strict=True)}
        return client.post("/me/scales/phq9/", answers)

    phq9_with([1, 1, 1, 1, 1, 1, 1, 1, 0])  # the baseline: 8
    # Much worse than the baseline (a high alert with advice), and item 9 "several days": the
    # score page, which puts the crisis numbers beside item 9, not the clinic-first screen.
    response = phq9_with([3, 3, 3, 3, 3, 3, 3, 3, 1])
    rules = set(Alert.objects.filter(patient=alice).values_list("rule_id", flat=True))
    assert {"phq9_worsening", "phq9_item9"} <= rules
    assert response.status_code == 302
    assert "/me/scales/phq9/" in response.url


def test_a_much_worse_phq9_without_item_9_shows_what_to_do(as_user, alice):
    phq9 = get_instrument("phq9")
    client = as_user(alice.user)
    for values in ([1, 1, 1, 1, 1, 1, 1, 1, 0], [3, 3, 3, 3, 3, 3, 3, 3, 0]):
        answers = {item.id: str(v) for item, v in zip(phq9.scored_items, values, strict=True)}
        response = client.post("/me/scales/phq9/", answers)
    html = response.content.decode()
    assert "Your answers show your depression is worse than before your treatment." in html
    assert "See your score" in html


def test_every_high_warning_sign_has_a_screen():
    """A new high rule must come with what the patient should do (or a screen of its own)."""
    high = {rule_id for rule_id, rule in RULES.items() if rule.severity == Severity.HIGH}
    assert high - OWN_SCREEN <= set(ADVICE)
    assert not set(ADVICE) & (OWN_SCREEN | SUICIDE_RULES)
    for advice in ADVICE.values():
        assert advice.steps
        assert str(advice.reason).endswith(".")


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (240, "4 hours"),
        (60, "1 hour"),
        (30, "30 minutes"),
        (1, "1 minute"),
        (95, "1 hour 35 minutes"),
    ],
)
def test_response_times_read_as_a_person_says_them(minutes, said):
    assert within(minutes) == said
