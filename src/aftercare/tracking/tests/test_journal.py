"""The journal: private by default, shared by choice, and staff see only what is shared."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from aftercare.audit.models import AuditEvent
from aftercare.tracking.actions import write_journal_entry
from aftercare.tracking.models import JournalEntry
from aftercare.treatment.actions import record_infusion


def entry_of(patient, body, shared=False):
    return write_journal_entry(patient=patient, body=body, shared_with_care_team=shared)[0]


def test_a_new_entry_is_private_unless_shared(as_user, alice):
    client = as_user(alice.user)
    response = client.post("/me/journal/new/", {"body": "Colours were vivid."})
    assert response.status_code == 302
    entry = JournalEntry.objects.get(patient=alice)
    assert (entry.body, entry.shared_with_care_team, entry.prompt) == (
        "Colours were vivid.", False, "",
    )  # fmt: skip
    assert AuditEvent.objects.filter(what="journal entry (private)", action="create").exists()
    html = client.get("/me/journal/").content.decode()
    assert "Colours were vivid." in html
    assert "Private" in html


def test_an_entry_can_start_from_a_prompt_and_be_shared(as_user, alice):
    as_user(alice.user).post(
        "/me/journal/new/",
        {
            "prompt_key": "appt-questions",
            "body": "Ask about the dose.",
            "shared_with_care_team": "on",
        },
    )
    entry = JournalEntry.objects.get(patient=alice)
    assert entry.prompt == "What do you want to ask your care team next time?"
    assert entry.shared_with_care_team is True


def test_prompts_fit_the_phase(as_user, alice, carol):
    client = as_user(alice.user)
    # Before any treatment: questions for the next appointment.
    assert "appt-questions" in client.get("/me/journal/new/").content.decode()
    ended = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    record_infusion(
        patient=alice, recorded_by=carol, started_at=ended - timedelta(minutes=40),
        ended_at=ended, route="iv",
    )  # fmt: skip
    with time_machine.travel(ended + timedelta(days=1), tick=False):
        html = client.get("/me/journal/new/").content.decode()
    assert "fresh-moments" in html
    assert "appt-questions" not in html
    assert "While the experience is fresh" in html
    with time_machine.travel(ended + timedelta(days=9), tick=False):
        html = client.get("/me/journal/new/").content.decode()
    assert "insight-habit" in html
    assert "fresh-moments" not in html
    with time_machine.travel(ended + timedelta(days=40), tick=False):
        assert "appt-timing" in client.get("/me/journal/new/").content.decode()


@pytest.mark.parametrize(
    ("data", "error_id", "message"),
    [
        ({"body": ""}, "id_body_error", "Write something before saving, even a few words."),
        ({"body": "   "}, "id_body_error", "Write something before saving, even a few words."),
        ({"body": "x" * 20001}, "id_body_error", "Please keep an entry under 20,000 characters."),
        ({"body": "Kept.", "prompt_key": "nope"}, "id_prompt_key_error", "Choose one of the"),
    ],
)
def test_bad_input_is_explained_and_kept(as_user, alice, data, error_id, message):
    response = as_user(alice.user).post("/me/journal/new/", {**data, "shared_with_care_team": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'<p class="error" id="{error_id}">{message}', html)
    assert re.search(r'name="shared_with_care_team"[^>]*checked', html)
    if data["body"].strip():
        assert data["body"][:100] in html
    assert not JournalEntry.objects.exists()


def test_editing_text_and_sharing_is_audited(as_user, alice):
    entry = entry_of(alice, "First draft.")
    client = as_user(alice.user)
    response = client.post(
        f"/me/journal/{entry.pk}/", {"body": "Second draft.", "shared_with_care_team": "on"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.shared_with_care_team) == ("Second draft.", True)
    whats = list(
        AuditEvent.objects.filter(action="update", object_id=str(entry.pk)).values_list(
            "what", flat=True
        )
    )
    assert sorted(whats) == ["journal entry", "journal entry shared"]
    private = client.post(f"/me/journal/{entry.pk}/", {"body": "Second draft."}, follow=True)
    entry.refresh_from_db()
    assert entry.shared_with_care_team is False
    # The patient is told who can read it now, after each change.
    assert "Your entry is updated. Only you can read it." in private.content.decode()
    shared = client.post(
        f"/me/journal/{entry.pk}/",
        {"body": "Second draft.", "shared_with_care_team": "on"},
        follow=True,
    )
    assert "Your entry is updated. Your care team can read it." in shared.content.decode()
    assert AuditEvent.objects.filter(what="journal entry made private").count() == 1
    assert AuditEvent.objects.filter(what="journal entry shared").count() == 2


def test_staff_see_only_shared_entries_and_each_read_is_audited(as_user, alice, carol):
    private = entry_of(alice, "PRIVATE-THOUGHTS about my sister")
    shared = entry_of(alice, "SHARED-NOTE: the second session felt easier", shared=True)
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "SHARED-NOTE" in html
    assert "PRIVATE-THOUGHTS" not in html
    reads = AuditEvent.objects.filter(actor=carol, what="shared journal entry")
    assert list(reads.values_list("object_id", flat=True)) == [str(shared.pk)]
    assert not AuditEvent.objects.filter(object_id=str(private.pk), actor=carol).exists()


def test_an_entry_made_private_again_disappears_for_staff(as_user, alice, carol):
    entry = entry_of(alice, "SHARED-THEN-PRIVATE", shared=True)
    as_user(alice.user).post(f"/me/journal/{entry.pk}/", {"body": "SHARED-THEN-PRIVATE"})
    html = as_user(carol).get(f"/clinic/patients/{alice.pk}/").content.decode()
    assert "SHARED-THEN-PRIVATE" not in html
    assert "No shared journal entries." in html


def test_other_patients_and_other_clinics_never_see_an_entry(
    as_user, alice, bob, eve, carol, client
):
    entry = entry_of(alice, "ALICE-ONLY", shared=True)
    for user in (bob.user, eve, carol):
        assert as_user(user).get(f"/me/journal/{entry.pk}/").status_code == 404
        response = as_user(user).post(f"/me/journal/{entry.pk}/", {"body": "changed"})
        assert response.status_code == 404
    assert "ALICE-ONLY" not in as_user(bob.user).get("/me/journal/").content.decode()
    assert as_user(eve).get(f"/clinic/patients/{alice.pk}/").status_code == 404
    for path in ("/me/journal/", "/me/journal/new/", f"/me/journal/{entry.pk}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    entry.refresh_from_db()
    assert entry.body == "ALICE-ONLY"


def test_a_patient_deletes_their_own_entry_after_being_asked(as_user, alice, bob):
    entry = entry_of(alice, "Something I would rather not keep.", shared=True)
    client = as_user(alice.user)
    assert (
        f'href="/me/journal/{entry.pk}/delete/"'
        in client.get(f"/me/journal/{entry.pk}/").content.decode()
    )
    question = client.get(f"/me/journal/{entry.pk}/delete/").content.decode()
    assert "Deleting cannot be undone." in question
    assert "your care team may already have read it" in question
    assert JournalEntry.objects.filter(pk=entry.pk).exists()  # asking deletes nothing
    assert as_user(bob.user).post(f"/me/journal/{entry.pk}/delete/").status_code == 404
    done = client.post(f"/me/journal/{entry.pk}/delete/", follow=True)
    assert "The entry is deleted." in done.content.decode()
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    event = AuditEvent.objects.get(action="delete", what="journal entry")
    assert (event.object_id, event.actor) == (str(entry.pk), alice.user)


def test_a_long_entry_shows_its_beginning_in_the_list_and_the_rest_on_request(as_user, alice):
    from aftercare.tracking.actions import write_journal_entry

    write_journal_entry(patient=alice, body="Short one.")
    write_journal_entry(patient=alice, body="Start. " + "word " * 4000 + "The very end.")
    page = as_user(alice.user).get("/me/journal/").content.decode()
    assert "Short one." in page
    assert page.count("Read the whole entry") == 1
    assert page.count("The very end.") == 1  # inside the folded full text only
    assert page.count("Start. word") == 2  # the preview and the full text
