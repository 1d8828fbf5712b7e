"""A patient's data on request: export everything, delete on request, the patient's own request."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.test import override_settings

from aftercare.accounts.actions import create_staff
from aftercare.accounts.models import Patient, Role
from aftercare.audit.models import AuditEvent
from aftercare.lifecycle.erasure import ALWAYS_KEPT, ERASED, RETAINABLE, rows_of
from aftercare.lifecycle.models import DataRequest, DeletionRecord
from aftercare.lifecycle.tests.records import fill
from aftercare.tracking.models import CheckIn, JournalEntry
from aftercare.treatment.models import Infusion
from aftercare.workspace.models import ClinicianNote


def export_url(patient) -> str:
    return f"/clinic/patients/{patient.pk}/data/export.zip"


def delete_url(patient) -> str:
    return f"/clinic/patients/{patient.pk}/data/delete/"


def counts(patient) -> dict[str, int]:
    return {
        label: apps.get_model(label)._base_manager.filter(**{lookup: patient}).count()
        for label, lookup in rows_of(patient)
    }


def test_every_model_that_holds_patient_data_is_erased_or_deliberately_kept():
    """A new kind of patient record must be sorted here before it can ship."""

    def reaches_patient(model, seen=()) -> bool:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if target is Patient:
                return True
            if (
                target is not None
                and target not in seen
                and reaches_patient(target, (*seen, model))
            ):
                return True
        return False

    holding = {m._meta.label for m in apps.get_models() if reaches_patient(m)}
    sorted_out = {label for label, _ in ERASED} | set(ALWAYS_KEPT)
    sorted_out |= {label for group in RETAINABLE.values() for label, _ in group}
    assert holding - sorted_out == set()


def test_the_admin_downloads_everything_about_a_patient(as_user, alice, carol, dana):
    fill(alice, carol)
    response = as_user(dana).get(export_url(alice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "profile.json", "my-numbers.csv"} <= names
    assert json.loads(archive.read("profile.json"))["last_name"] == "Archer"
    journal = json.loads(archive.read("records/tracking.JournalEntry.json"))
    assert "Ünïcode" in journal[0]["fields"]["body"]
    assert json.loads(archive.read("records/workspace.ClinicianNote.json"))[0]["fields"]["body"]
    assert "check_in" in archive.read("my-numbers.csv").decode()
    if "fhir-bundle.json" in names:
        assert json.loads(archive.read("fhir-bundle.json"))["resourceType"] == "Bundle"
    event = AuditEvent.objects.get(action="export", patient=alice)
    assert event.actor == dana


def test_nothing_of_bobs_is_in_alices_export(as_user, alice, bob, carol, dana):
    fill(bob, carol)
    archive = zipfile.ZipFile(io.BytesIO(as_user(dana).get(export_url(alice)).content))
    text = "".join(archive.read(n).decode() for n in archive.namelist())
    assert "Baker" not in text
    assert "Ünïcode" not in text


@pytest.mark.parametrize("url", [export_url, delete_url])
def test_only_the_patients_own_clinic_admin_may_export_or_delete(url, as_user, alice, carol, eve):
    for user in (eve, carol, alice.user):
        assert as_user(user).get(url(alice)).status_code == 404
        assert as_user(user).post(url(alice), {"name": "Alice Archer"}).status_code == 404
    assert Patient.objects.get(pk=alice.pk).user.last_name == "Archer"
    assert not DeletionRecord.objects.exists()


@pytest.mark.parametrize("typed", ["", "Alice", "Bob Baker", "x" * 5000])
def test_deletion_needs_the_patients_name_typed(as_user, alice, dana, typed):
    response = as_user(dana).post(delete_url(alice), {"name": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page or "not the patient" in page or "at most" in page
    assert Patient.objects.get(pk=alice.pk).user.last_name == "Archer"


def test_deleting_erases_what_the_patient_wrote_and_keeps_the_treatment_record(
    as_user, alice, bob, carol, dana
):
    fill(alice, carol)
    fill(bob, carol)
    request = DataRequest.objects.create(patient=alice, kind="deletion")
    bobs_before = counts(bob)
    kept_before = {label: n for label, n in counts(alice).items() if label.startswith("treatment")}
    as_user(dana).get(delete_url(alice))
    response = as_user(dana).post(delete_url(alice), {"name": "  alice   ARCHER "})
    assert response.status_code == 302

    assert not CheckIn.objects.filter(patient=alice).exists()
    assert not JournalEntry.objects.filter(patient=alice).exists()
    assert Infusion.objects.filter(patient=alice).exists()  # legal retention, by default
    assert ClinicianNote.objects.filter(patient=alice).exists()
    assert {k: v for k, v in counts(alice).items() if k.startswith("treatment")} == kept_before
    assert counts(bob) == bobs_before

    alice.refresh_from_db()
    alice.user.refresh_from_db()
    assert (alice.user.first_name, alice.user.last_name, alice.birth_year) == ("", "", None)
    assert "alice" not in alice.user.email
    assert not alice.user.is_active
    assert not alice.user.has_usable_password()

    record = DeletionRecord.objects.get(patient=alice)
    assert (record.performed_by, record.requested_by, record.request) == (dana, "patient", request)
    assert record.removed["tracking.CheckIn"] == 1
    assert record.removed["tracking.JournalEntry"] == 1
    assert "Ünïcode" not in json.dumps(record.removed)
    assert "treatment.Infusion" in record.retained
    request.refresh_from_db()
    assert request.done_by == dana

    # Audit history keeps the patient id; the name is gone from it.
    assert AuditEvent.objects.filter(patient=alice, action="delete").exists()
    log = as_user(dana).get("/clinic/audit/", {"patient": alice.pk}).content.decode()
    assert "patient data (on request)" in log
    assert "Archer" not in log

    page = as_user(dana).get(delete_url(alice))
    assert "was deleted on" in page.content.decode()
    # Asking again does nothing more.
    as_user(dana).post(delete_url(alice), {"name": "Alice Archer"})
    assert DeletionRecord.objects.filter(patient=alice).count() == 1


@override_settings(DELETION_RETAINS=[])
def test_with_no_retention_configured_the_treatment_record_goes_too(as_user, alice, carol, dana):
    fill(alice, carol)
    as_user(dana).post(delete_url(alice), {"name": "Alice Archer"})
    assert not Infusion.objects.filter(patient=alice).exists()
    assert not ClinicianNote.objects.filter(patient=alice).exists()
    assert sum(counts(alice).values()) == 0
    assert DeletionRecord.objects.get(patient=alice).retained == []


def test_a_patient_asks_for_a_copy_or_deletion_and_the_clinic_sees_it(
    as_user, alice, dana, eve, lakeside
):
    me = as_user(alice.user)
    assert me.get("/me/data/").status_code == 200
    bad = me.post("/me/data/", {"kind": "everything-now"})
    assert bad.status_code == 400
    assert "Choose a copy of your data or deleting it." in bad.content.decode()
    assert me.post("/me/data/", {"kind": "export"}).status_code == 302
    me.post("/me/data/", {"kind": "export"})  # a second click adds nothing
    # Deletion cannot be undone: asked once more, with a box to tick.
    unsure = me.post("/me/data/", {"kind": "deletion"})
    assert unsure.status_code == 400
    assert "this cannot be undone" in unsure.content.decode()
    assert 'type="checkbox" name="sure"' in unsure.content.decode()
    assert DataRequest.objects.filter(patient=alice).count() == 1
    assert me.post("/me/data/", {"kind": "deletion", "sure": "on"}).status_code == 302
    assert DataRequest.objects.filter(patient=alice).count() == 2
    assert "waiting" in me.get("/me/data/").content.decode()

    listing = as_user(dana).get("/clinic/data-requests/").content.decode()
    assert "Alice Archer" in listing
    assert listing.count("<td>Open</td>") == 2
    assert as_user(eve).get("/clinic/data-requests/").status_code == 404
    lake_admin = create_staff(clinic=lakeside, email="lee@example.org", password="x" * 12,
                              role=Role.ADMIN, first_name="Lee", last_name="Lake")  # fmt: skip
    assert "Alice" not in as_user(lake_admin).get("/clinic/data-requests/").content.decode()
    # Downloading the export answers the export request.
    as_user(dana).get(export_url(alice))
    assert DataRequest.objects.get(kind="export").done_by == dana


def test_the_request_list_runs_the_same_number_of_queries_for_2_or_20_requests(
    as_user, riverside, dana
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aftercare.accounts.actions import create_patient

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            patient = create_patient(clinic=riverside, email=f"r{i}@example.org", first_name="R",
                                     last_name=f"Number{i}", timezone="UTC")  # fmt: skip
            DataRequest.objects.create(patient=patient, kind="export")

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            page = as_user(dana).get("/clinic/data-requests/").content.decode()
        return len(ctx.captured_queries), page.count("Number")

    add(2, 0)
    two, shown = queries()
    assert shown == 2
    add(18, 2)
    assert queries() == (two, 20)


def test_a_question_label_is_not_followed_by_a_colon_in_the_error_list(as_user, alice):
    page = as_user(alice.user).post("/me/data/", {"kind": ""}).content.decode()
    assert "What would you like? Choose a copy of your data or deleting it." in page
    assert "?:" not in page


def withdraw_url(item) -> str:
    return f"/me/data/{item.pk}/withdraw/"


def test_a_patient_withdraws_a_waiting_request_and_the_clinic_no_longer_sees_it_open(
    as_user, alice, dana
):
    me = as_user(alice.user)
    me.post("/me/data/", {"kind": "deletion", "sure": "on"})
    item = DataRequest.objects.get(patient=alice)
    page = me.get("/me/data/").content.decode()
    assert f'action="/me/data/{item.pk}/withdraw/"' in page
    assert "Withdraw this request" in page

    response = me.post(withdraw_url(item), follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [("/me/data/", 302)]
    assert "Your request is withdrawn: Delete my data." in page
    assert "withdrawn by you on" in page
    assert "Withdraw this request" not in page
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert item.done_at is None
    event = AuditEvent.objects.get(patient=alice, action="update")
    assert (event.actor, event.what, event.object_id) == (
        alice.user,
        "withdrew data request (deletion)",
        str(item.pk),
    )

    # The clinic's queue: no longer open, still listed as the patient's withdrawal.
    listing = as_user(dana).get("/clinic/data-requests/").content.decode()
    assert "<td>Open</td>" not in listing
    assert "Withdrawn by the patient" in listing
    assert f'href="{delete_url(alice)}"' not in listing
    deletion_page = as_user(dana).get(delete_url(alice)).content.decode()
    assert "then withdrew the request on" in deletion_page
    assert "The patient asked for this on" not in deletion_page

    # Changing one's mind again is a new request, open for the clinic.
    me.post("/me/data/", {"kind": "deletion", "sure": "on"})
    assert DataRequest.objects.filter(patient=alice).count() == 2
    assert as_user(dana).get("/clinic/data-requests/").content.decode().count("<td>Open</td>") == 1


def test_the_clinic_acting_on_a_withdrawn_request_leaves_it_withdrawn(as_user, alice, dana):
    item = DataRequest.objects.create(patient=alice, kind="export")
    as_user(alice.user).post(withdraw_url(item))
    as_user(dana).get(export_url(alice))
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert (item.done_at, item.done_by) == (None, None)


def test_a_withdrawn_deletion_request_is_not_the_one_carried_out(as_user, alice, dana):
    item = DataRequest.objects.create(patient=alice, kind="deletion")
    as_user(alice.user).post(withdraw_url(item))
    as_user(dana).post(delete_url(alice), {"name": "Alice Archer"})
    record = DeletionRecord.objects.get(patient=alice)
    assert (record.requested_by, record.request) == ("clinic", None)
    item.refresh_from_db()
    assert item.done_at is None


def test_an_answered_request_cannot_be_withdrawn(as_user, alice, dana):
    item = DataRequest.objects.create(patient=alice, kind="export")
    as_user(dana).get(export_url(alice))
    me = as_user(alice.user)
    assert "Withdraw this request" not in me.get("/me/data/").content.decode()
    page = me.post(withdraw_url(item), follow=True).content.decode()
    assert "already answered this request, so it can no longer be withdrawn" in page
    item.refresh_from_db()
    assert item.withdrawn_at is None
    assert item.done_by == dana
    assert not AuditEvent.objects.filter(patient=alice, action="update").exists()


def test_withdrawing_twice_changes_nothing_more(as_user, alice):
    item = DataRequest.objects.create(patient=alice, kind="export")
    me = as_user(alice.user)
    me.post(withdraw_url(item))
    item.refresh_from_db()
    first = item.withdrawn_at
    page = me.post(withdraw_url(item), follow=True).content.decode()
    assert "You had already withdrawn this request." in page
    item.refresh_from_db()
    assert item.withdrawn_at == first
    assert AuditEvent.objects.filter(patient=alice, action="update").count() == 1


def test_only_the_patient_withdraws_their_own_request_and_only_by_post(
    as_user, alice, bob, carol, dana
):
    item = DataRequest.objects.create(patient=alice, kind="deletion")
    for user in (bob.user, carol, dana):
        assert as_user(user).post(withdraw_url(item)).status_code == 404
    assert as_user(alice.user).post("/me/data/999999/withdraw/").status_code == 404
    assert as_user(alice.user).get(withdraw_url(item)).status_code == 405
    item.refresh_from_db()
    assert item.withdrawn_at is None


def test_withdrawing_needs_the_forms_csrf_token(alice):
    from django.test import Client

    item = DataRequest.objects.create(patient=alice, kind="deletion")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice.user)
    assert browser.post(withdraw_url(item)).status_code == 403
    page = browser.get("/me/data/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert browser.post(withdraw_url(item), {"csrfmiddlewaretoken": token}).status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
