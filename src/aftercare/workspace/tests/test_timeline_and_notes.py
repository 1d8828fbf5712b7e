"""One patient's timeline and the clinicians' notes on it."""

import json

import pytest
import time_machine
from conftest import utc

from aftercare.audit.models import AuditEvent
from aftercare.tracking.models import JournalEntry
from aftercare.workspace.actions import add_addendum, write_note
from aftercare.workspace.models import ClinicianNote, NoteAddendum, SignedNoteError
from aftercare.workspace.tests.data import treated_patient

NOW = utc(2026, 5, 20, 16)


@pytest.fixture
def quinn(riverside, carol):
    with time_machine.travel(NOW, tick=False):
        patient = treated_patient(
            riverside, now=NOW, last_name="Quinn", clinician=carol, alert="high", check_in_days=30
        )
        JournalEntry.objects.create(
            patient=patient, written_at=NOW, body="Shared words.", shared_with_care_team=True
        )
        JournalEntry.objects.create(
            patient=patient, written_at=NOW, body="Private words.", shared_with_care_team=False
        )
    return patient


def timeline(client, patient, query=""):
    with time_machine.travel(NOW, tick=False):
        return client.get(f"/clinic/patients/{patient.pk}/timeline/{query}")


def test_it_draws_the_whole_course_in_one_chart_with_tables(as_user, carol, quinn):
    response = timeline(as_user(carol), quinn)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 1
    assert 'role="img"' in page
    assert "timeline-chart-title" in page
    assert "0.5 mg/kg (35 mg)" in page
    assert "IV infusion" in page
    assert "Shared words." in page
    assert "Private words." not in page
    assert "Trajectory" in page
    assert "/clinic/sessions/" in page  # the in-clinic records
    assert AuditEvent.objects.filter(
        patient=quinn, actor=carol, what="patient timeline", action="view"
    ).exists()


@pytest.mark.parametrize(("zoom", "days"), [("30", 30), ("all", 30), ("course", 21)])
def test_it_zooms_to_a_course_or_the_last_30_days(as_user, carol, quinn, zoom, days):
    response = timeline(as_user(carol), quinn, f"?range={zoom}")
    assert response.status_code == 200
    assert len(response.context["data"].days) == days
    assert f'href="?range={zoom}" aria-current="page"' in response.content.decode()


def test_an_unknown_zoom_shows_everything(as_user, carol, quinn):
    response = timeline(as_user(carol), quinn, "?range=" + "z" * 3000)
    assert response.status_code == 200
    assert response.context["data"].range == "all"


def test_a_patient_without_records_gets_a_plain_page(as_user, carol, bob):
    response = timeline(as_user(carol), bob)
    assert response.status_code == 200
    assert "Nothing recorded in this time range." in response.content.decode()


def test_only_the_clinics_staff_see_the_timeline(as_user, quinn, eve, alice, client):
    assert timeline(as_user(eve), quinn).status_code == 404
    assert timeline(as_user(alice.user), quinn).status_code == 404
    assert timeline(as_user(quinn.user), quinn).status_code == 404
    assert timeline(client, quinn)["Location"].startswith("/accounts/login/")


def test_a_clinician_signs_a_note_and_it_shows_on_the_timeline(as_user, carol, quinn):
    client = as_user(carol)
    response = client.post(
        f"/clinic/patients/{quinn.pk}/notes/new/", {"body": "Doing well.", "sign": "1"}
    )
    assert response.status_code == 302
    note = ClinicianNote.objects.get(patient=quinn)
    assert note.is_signed
    assert note.author == carol
    assert "Doing well." in timeline(client, quinn).content.decode()
    assert AuditEvent.objects.filter(
        patient=quinn, what="clinician note", action="create", object_id=str(note.pk)
    ).exists()


def test_an_empty_note_is_refused_with_a_message(as_user, carol, quinn):
    response = as_user(carol).post(f"/clinic/patients/{quinn.pk}/notes/new/", {"body": " "})
    assert response.status_code == 400
    assert "Write the note before saving it." in response.content.decode()
    assert not ClinicianNote.objects.exists()


def test_a_huge_note_is_refused_and_kept(as_user, carol, quinn):
    body = "x" * 20001
    response = as_user(carol).post(f"/clinic/patients/{quinn.pk}/notes/new/", {"body": body})
    assert response.status_code == 400
    assert body in response.content.decode()


def test_a_draft_can_be_edited_then_signed_by_its_author(as_user, carol, quinn):
    note = write_note(request=None, patient=quinn, author=carol, body="First", sign=False)
    client = as_user(carol)
    url = f"/clinic/patients/{quinn.pk}/notes/{note.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "Second"}).status_code == 302
    note.refresh_from_db()
    assert note.body == "Second"
    assert not note.is_signed
    assert client.post(url, {"body": "Third", "sign": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.body == "Third"
    assert note.is_signed
    # Signed: the edit page is gone, and nothing can change it.
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Changed"}).status_code == 404
    note.refresh_from_db()
    assert note.body == "Third"


def test_someone_elses_draft_cannot_be_edited(as_user, carol, dana, quinn):
    note = write_note(request=None, patient=quinn, author=carol, body="Mine", sign=False)
    url = f"/clinic/patients/{quinn.pk}/notes/{note.pk}/"
    assert as_user(dana).post(url, {"body": "Yours"}).status_code == 404


def test_a_signed_note_is_immutable_in_the_database_too(carol, quinn):
    note = write_note(request=None, patient=quinn, author=carol, body="Final", sign=True)
    note.body = "Rewritten"
    with pytest.raises(SignedNoteError):
        note.save()
    with pytest.raises(SignedNoteError):
        note.delete()
    addendum = add_addendum(request=None, note=note, author=carol, body="Later")
    addendum.body = "Changed"
    with pytest.raises(SignedNoteError):
        addendum.save()
    with pytest.raises(SignedNoteError):
        addendum.delete()


def test_an_addendum_keeps_its_author_and_time(as_user, dana, carol, quinn):
    note = write_note(request=None, patient=quinn, author=carol, body="Final", sign=True)
    client = as_user(dana)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            f"/clinic/patients/{quinn.pk}/notes/{note.pk}/addendum/", {"body": "Called her."}
        )
    assert response.status_code == 302
    addendum = NoteAddendum.objects.get(note=note)
    assert addendum.author == dana
    assert addendum.written_at == NOW
    page = timeline(client, quinn).content.decode()
    assert "Called her." in page
    assert "Addendum by Dana Diaz" in page


def test_a_draft_takes_no_addendum(as_user, carol, quinn):
    note = write_note(request=None, patient=quinn, author=carol, body="Draft", sign=False)
    url = f"/clinic/patients/{quinn.pk}/notes/{note.pk}/addendum/"
    assert as_user(carol).post(url, {"body": "x"}).status_code == 404


def test_notes_are_hidden_from_other_clinics_and_patients(as_user, carol, eve, quinn, client):
    note = write_note(request=None, patient=quinn, author=carol, body="Final", sign=True)
    for url in (
        f"/clinic/patients/{quinn.pk}/notes/new/",
        f"/clinic/patients/{quinn.pk}/notes/{note.pk}/",
        f"/clinic/patients/{quinn.pk}/notes/{note.pk}/addendum/",
    ):
        assert as_user(eve).post(url, {"body": "x"}).status_code == 404
        assert as_user(quinn.user).post(url, {"body": "x"}).status_code == 404
        assert client.post(url, {"body": "x"}).status_code == 302
    assert ClinicianNote.objects.count() == 1
    assert not NoteAddendum.objects.exists()


def test_a_note_of_one_patient_cannot_be_reached_through_another(as_user, carol, quinn, bob):
    note = write_note(request=None, patient=quinn, author=carol, body="Draft", sign=False)
    assert as_user(carol).get(f"/clinic/patients/{bob.pk}/notes/{note.pk}/").status_code == 404


def test_medication_changes_are_drawn_and_listed_in_the_time_range(as_user, carol, quinn):
    from datetime import timedelta

    from aftercare.careplan.models import Medication
    from aftercare.workspace.timeline import timeline_data, timeline_spec

    Medication.objects.create(
        patient=quinn,
        name="Sertraline",
        medication_class="ssri",
        dose="50 mg",
        started_on=(NOW - timedelta(days=10)).date(),
    )
    Medication.objects.create(
        patient=quinn,
        name="Lorazepam",
        medication_class="benzodiazepine",
        started_on=(NOW - timedelta(days=400)).date(),
        stopped_on=(NOW - timedelta(days=5)).date(),
    )
    page = timeline(as_user(carol), quinn).content.decode()
    assert "Sertraline" in page
    assert "Started" in page
    assert "Lorazepam" in page
    assert "Stopped" in page
    with time_machine.travel(NOW, tick=False):
        data = timeline_data(quinn, zoom="30")
        spec = timeline_spec(quinn, data)
    assert [(m["change"], m["name"]) for m in data.medications] == [
        ("Started", "Sertraline"),
        ("Stopped", "Lorazepam"),
    ]
    assert '"Medication change"' in json.dumps(spec)
