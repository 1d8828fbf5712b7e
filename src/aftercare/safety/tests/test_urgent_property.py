"""Whatever else a check-in says, an urgent answer always brings the crisis screen and an alert."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftercare.safety.models import Alert
from aftercare.tracking.models import CheckIn

yes_no_blank = st.sampled_from(["yes", "no", ""])
score = st.sampled_from([str(n) for n in range(1, 11)] + [""])
check_ins = st.fixed_dictionaries(
    {
        "mood": st.sampled_from([str(n) for n in range(1, 11)]),
        "energy": score,
        "anxiety": score,
        "suicidal_thoughts": yes_no_blank,
        "panic": yes_no_blank,
        "unusual_perceptions": yes_no_blank,
        "lingering_dissociation": yes_no_blank,
        "ketamine_cravings": yes_no_blank,
        "note": st.text(max_size=50),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=check_ins)
def test_an_urgent_answer_always_yields_the_crisis_screen_and_an_alert(as_user, alice, answers):
    client = as_user(alice.user)
    before = set(CheckIn.objects.values_list("pk", flat=True))
    response = client.post("/me/check-in/", answers)
    assert response.status_code in (200, 302)
    (new,) = CheckIn.objects.exclude(pk__in=before)
    urgent = answers["suicidal_thoughts"] == "yes" or answers["unusual_perceptions"] == "yes"
    alerts = Alert.objects.filter(source_id=str(new.pk), severity=Alert.Severity.URGENT)
    if urgent:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="tel:988"' in html
        assert 'href="sms:988"' in html
        assert alerts.exists()
    else:
        # A high sign (panic, say) gets the next-steps page (safety.next_steps), never the crisis
        # screen with the crisis line first.
        assert response.status_code in (200, 302)
        assert not re.search(r'class="button" href="tel:988"', response.content.decode())
        assert not alerts.exists()
