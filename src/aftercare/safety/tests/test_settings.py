"""Clinic safety settings: readable by staff, changed by admins, every change recorded."""

import re

import pytest

from aftercare.safety.models import SafetySettingChange, SafetySettings

VALID = {
    "on_call_email": "oncall@riverside.example",
    "urgent_ack_minutes": "10",
    "high_ack_minutes": "240",
    "routine_ack_minutes": "2880",
    "anxiety_threshold": "8",
    "gad7_severe_threshold": "15",
    "phq9_worsening_points": "5",
    "mood_drop_points": "3",
    "mood_window_days": "3",
    "missed_check_in_days": "3",
}


def test_staff_see_the_numbers_and_every_rules_source(as_user, carol):
    response = as_user(carol).get("/clinic/safety-settings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Löwe" in html
    assert "default of this software" in html
    assert 'name="urgent_ack_minutes"' in html
    assert "disabled" in html  # a clinician cannot change them
    assert "Save settings" not in html


def test_an_admin_changes_a_threshold_and_the_change_is_recorded(as_user, dana, riverside):
    response = as_user(dana).post("/clinic/safety-settings/", VALID)
    assert response.status_code == 302
    safety = SafetySettings.objects.get(clinic=riverside)
    assert (safety.urgent_ack_minutes, safety.anxiety_threshold) == (10, 8)
    changes = {
        c.field: (c.old_value, c.new_value, c.actor)
        for c in SafetySettingChange.objects.filter(clinic=riverside)
    }
    assert changes == {
        "on_call_email": ("", "oncall@riverside.example", dana),
        "urgent_ack_minutes": ("15", "10", dana),
        "anxiety_threshold": ("9", "8", dana),
    }


def changes_shown(html: str) -> list[str]:
    """The change list as read: tags dropped, the arrow read as "to", spaces collapsed."""
    section = html.split('id="changes-title"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    text = [re.sub(r'<span aria-hidden="true">→</span>|<br>', " ", item) for item in items]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in text]


def test_the_change_list_names_settings_as_the_form_does(as_user, dana, carol):
    as_user(dana).post("/clinic/safety-settings/", VALID)
    html = as_user(carol).get("/clinic/safety-settings/").content.decode()
    shown = sorted(line.split(" Changed by ")[0] for line in changes_shown(html))
    assert shown == [
        "Check-in anxiety that counts as severe (1–10): 9 to 8",
        "Minutes to acknowledge an urgent alert: 15 to 10",
        "On-call email: (empty) to oncall@riverside.example",
    ]
    assert "Changed by dana@example.org on " in html
    # The label is the one beside the field on the form.
    assert '<label for="id_urgent_ack_minutes">Minutes to acknowledge an urgent alert' in html
    changes = html.split('id="changes-title"', 1)[1]
    assert "urgent_ack_minutes" not in changes
    assert "on_call_email" not in changes


def test_saving_without_changes_records_nothing(as_user, dana):
    as_user(dana).post("/clinic/safety-settings/", VALID)
    as_user(dana).post("/clinic/safety-settings/", VALID)
    assert SafetySettingChange.objects.count() == 3


def test_change_records_are_append_only(as_user, dana):
    as_user(dana).post("/clinic/safety-settings/", VALID)
    change = SafetySettingChange.objects.first()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("anxiety_threshold", "11"),
        ("anxiety_threshold", "0"),
        ("urgent_ack_minutes", "abc"),
        ("urgent_ack_minutes", ""),
        ("gad7_severe_threshold", "9" * 50),
        ("on_call_email", "not an email"),
        ("mood_window_days", "-1"),
    ],
)
def test_bad_values_are_explained_and_nothing_changes(as_user, dana, field, value):
    response = as_user(dana).post("/clinic/safety-settings/", {**VALID, field: value})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not SafetySettingChange.objects.exists()


def beside(html: str, field: str) -> str:
    """The error message shown next to ``field``."""
    found = re.search(rf'<p class="error" id="id_{field}_error">(.*?)</p>', html, re.S)
    assert found, f"no error beside {field}"
    return found.group(1)


def test_urgent_alerts_cannot_wait_longer_than_high_or_high_than_routine(as_user, dana, riverside):
    inverted = {
        **VALID,
        "urgent_ack_minutes": "500",
        "high_ack_minutes": "240",
        "routine_ack_minutes": "10",
    }
    response = as_user(dana).post("/clinic/safety-settings/", inverted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Saved" not in html
    assert "use 240 minutes or fewer" in beside(html, "urgent_ack_minutes")
    assert "Urgent alerts must be escalated no later than high ones" in beside(
        html, "urgent_ack_minutes"
    )
    assert "use 10 minutes or fewer" in beside(html, "high_ack_minutes")
    assert "High alerts must be escalated no later than routine ones" in beside(
        html, "high_ack_minutes"
    )
    assert 'value="500"' in html  # what was typed is kept
    assert 'value="10"' in html
    assert not SafetySettingChange.objects.exists()
    assert SafetySettings.for_clinic(riverside).urgent_ack_minutes == 15


def test_equal_windows_are_allowed(as_user, dana, riverside):
    same = {
        **VALID,
        "urgent_ack_minutes": "60",
        "high_ack_minutes": "60",
        "routine_ack_minutes": "60",
    }
    assert as_user(dana).post("/clinic/safety-settings/", same).status_code == 302
    assert SafetySettings.for_clinic(riverside).routine_ack_minutes == 60


def test_an_empty_form_is_refused(as_user, dana):
    assert as_user(dana).post("/clinic/safety-settings/", {}).status_code == 400
    assert not SafetySettingChange.objects.exists()


def test_a_clinician_cannot_change_them(as_user, carol, riverside):
    assert as_user(carol).post("/clinic/safety-settings/", VALID).status_code == 404
    assert SafetySettings.for_clinic(riverside).urgent_ack_minutes == 15


def test_each_clinic_has_its_own(as_user, dana, eve, lakeside):
    as_user(dana).post("/clinic/safety-settings/", VALID)
    assert SafetySettings.for_clinic(lakeside).urgent_ack_minutes == 15
    assert "oncall@riverside" not in as_user(eve).get("/clinic/safety-settings/").content.decode()


def test_patients_and_strangers_are_kept_out(as_user, alice, client):
    assert as_user(alice.user).get("/clinic/safety-settings/").status_code == 404
    assert as_user(alice.user).post("/clinic/safety-settings/", VALID).status_code == 404
    assert client.get("/clinic/safety-settings/").status_code == 302
