"""Every view that shows or changes a patient's health data leaves an audit record naming them.

A write that is refused (the wrong step of a session, say) redirects to a page that is itself
audited. The pages come from the access matrix (accounts/tests/test_access.py), so a new page of
Alice's is checked here as soon as it gets its access rule.
"""

import pytest

from aftercare.accounts.tests import test_access
from aftercare.accounts.tests.test_access import (
    ALICE_ADMIN_PAGES,
    ALICE_PAGES,
    ALICE_SESSION_STEPS,
    PATIENT_PAGES,
)
from aftercare.audit.models import AuditEvent

# Pages that show no health data at all: an empty form or the patient's own settings.
NO_HEALTH_DATA = {
    "concern": "the empty form to raise a concern",
    "journal_new": "an empty journal page",
    "new_infusion": "an empty booking form",
    "note_new": "an empty note form",
    "scale_form": "an empty questionnaire",
    "reminder_preferences": "reminder times only",
    "calendar": "the address of the calendar feed only",
    "my_data": "the patient's requests for their data, not the data",
}


def path_for(spec, alice) -> tuple[str, str]:
    """The method and address of a page, with any record it needs already made."""
    method, template = spec
    ids = {"alice": alice.pk}
    if "{alert}" in template:
        ids["alert"] = test_access.alert_of(alice)
    if "{session}" in template:
        from aftercare.treatment.tests.records import session_id_of

        ids["session"] = session_id_of(alice)
    ids |= test_access.own_records_of(alice, template)
    if "{note}" in template or "{draft}" in template:
        from aftercare.workspace.tests.records import note_ids

        ids |= note_ids(alice, template)
    return method, template.format(**ids)


def assert_audited(client, spec, alice, user):
    method, path = path_for(spec, alice)
    before = AuditEvent.objects.count()
    # Redirects are followed as a browser would: a refused step ends on an audited page.
    response = getattr(client, method)(path, follow=True)
    assert response.status_code in (200, 400)
    new = AuditEvent.objects.order_by("pk")[before:]
    assert [e for e in new if e.patient_id == alice.pk and e.actor_id == user.pk], path


STAFF_VIEWS = sorted((ALICE_PAGES | ALICE_SESSION_STEPS).keys() - NO_HEALTH_DATA.keys())


@pytest.mark.parametrize("name", STAFF_VIEWS)
def test_staff_views_of_alices_data_are_audited(name, as_user, alice, carol):
    spec = (ALICE_PAGES | ALICE_SESSION_STEPS)[name]
    assert_audited(as_user(carol), spec, alice, carol)


@pytest.mark.parametrize("name", sorted(ALICE_ADMIN_PAGES))
def test_the_admins_pages_of_alices_data_are_audited(name, as_user, alice, dana):
    assert_audited(as_user(dana), ALICE_ADMIN_PAGES[name], alice, dana)


@pytest.mark.parametrize("name", sorted(PATIENT_PAGES.keys() - NO_HEALTH_DATA.keys()))
def test_patients_views_of_their_own_data_are_audited(name, as_user, alice):
    assert_audited(as_user(alice.user), PATIENT_PAGES[name], alice, alice.user)


def test_the_exemptions_are_real_pages():
    assert NO_HEALTH_DATA.keys() <= (ALICE_PAGES | PATIENT_PAGES).keys()
