"""Notes of Alice's for the access matrix (accounts/tests/test_access.py)."""

from aftercare.accounts.models import Role, User
from aftercare.workspace.actions import write_note


def note_ids(patient, template: str) -> dict:
    """{note}: a signed note on ``patient``; {draft}: a draft by the patient's clinician."""
    author = (
        patient.clinician or User.objects.filter(clinic=patient.clinic, role=Role.CLINICIAN).first()
    )
    ids = {}
    if "{note}" in template:
        ids["note"] = write_note(
            request=None, patient=patient, author=author, body="Signed.", sign=True
        ).pk
    if "{draft}" in template:
        ids["draft"] = write_note(
            request=None, patient=patient, author=author, body="Draft.", sign=False
        ).pk
    return ids
