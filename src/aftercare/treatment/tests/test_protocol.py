"""The monitoring protocol: documented defaults, made on first use, edited by the clinic admin."""

import pytest

from aftercare.treatment.clinic_views import ProtocolForm
from aftercare.treatment.models import ClinicProtocol
from aftercare.treatment.vitals import DEFAULT_THRESHOLDS


def defaults() -> dict[str, str]:
    return {
        name: str(ClinicProtocol._meta.get_field(name).default)
        for name in ProtocolForm._meta.fields or ()
    }


def test_it_starts_from_the_documented_defaults(as_user, carol, riverside):
    assert not ClinicProtocol.objects.exists()
    html = as_user(carol).get("/clinic/settings/monitoring/").content.decode()
    protocol = ClinicProtocol.objects.get(clinic=riverside)
    assert protocol.thresholds() == DEFAULT_THRESHOLDS
    assert (protocol.min_observation_esketamine_minutes, protocol.min_observation_minutes) == (
        120,
        60,
    )
    assert protocol.padss_minimum == 9
    assert "Source: SPRAVATO (esketamine) prescribing information and REMS, Janssen." in html
    assert "No published figure: a starting value for the clinic to set." in html
    assert "J Clin Anesth 1995" in html
    assert "Only a clinic admin can change these settings." in html
    assert html.count("disabled") >= len(defaults())


def test_the_admin_changes_a_threshold(as_user, dana, riverside):
    response = as_user(dana).post(
        "/clinic/settings/monitoring/", {**defaults(), "min_observation_minutes": "90"}
    )
    assert response.status_code == 302
    protocol = ClinicProtocol.objects.get(clinic=riverside)
    assert protocol.min_observation_minutes == 90
    assert protocol.updated_by == dana


def test_a_clinician_cannot_change_it(as_user, carol, riverside):
    response = as_user(carol).post(
        "/clinic/settings/monitoring/", {**defaults(), "spo2_below": "80"}
    )
    assert response.status_code == 404
    assert ClinicProtocol.objects.get(clinic=riverside).spo2_below == 92


def test_each_clinic_has_its_own(as_user, dana, eve, lakeside):
    as_user(dana).post("/clinic/settings/monitoring/", {**defaults(), "spo2_below": "94"})
    as_user(eve).get("/clinic/settings/monitoring/")
    assert ClinicProtocol.objects.get(clinic=lakeside).spo2_below == 92


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"spo2_below": "101"}, "spo2_below", "less than or equal to 100"),
        ({"spo2_below": "ninety"}, "spo2_below", "Enter a whole number."),
        ({"padss_minimum": "11"}, "padss_minimum", "less than or equal to 10"),
        ({"heart_rate_below": "120"}, "heart_rate_above", "higher than the lower limit"),
        ({"esketamine_bp_check_to_minutes": "20"}, "esketamine_bp_check_to_minutes", "higher"),
        ({"min_observation_minutes": ""}, "min_observation_minutes", "This field is required."),
    ],
)
def test_bad_settings_are_explained(as_user, dana, riverside, changes, field, message):
    response = as_user(dana).post("/clinic/settings/monitoring/", {**defaults(), **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert ClinicProtocol.objects.get(clinic=riverside).thresholds() == DEFAULT_THRESHOLDS


def test_each_changed_threshold_leaves_an_audit_record(as_user, dana, riverside):
    from aftercare.audit.models import AuditEvent

    as_user(dana).post("/clinic/settings/monitoring/", {**defaults(), "spo2_below": "95"})
    event = AuditEvent.objects.get(what__startswith="monitoring protocol")
    assert event.what == "monitoring protocol: SpO₂ concerning below (%) 92 → 95"
    assert (event.actor, event.action, event.clinic_id) == (dana, "update", riverside.pk)
