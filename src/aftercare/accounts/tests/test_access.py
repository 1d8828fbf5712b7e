"""Who may open what. Built from the URL conf, so a new view without an entry fails here.

Eve (another clinic) and Bob (another patient) must get 404 for anything of Alice's;
patients get 404 for staff pages and staff for patient pages; anonymous users go to login.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accept_invitation",
    "healthz",
    "home",
    "logout",
    # Answers 401 or 204, never a redirect: the session script tells a live session from an
    # ended one (accounts/tests/test_keepalive.py).
    "keepalive",
    # Token-authenticated: the token in the address is the credential; a wrong one is a 404
    # (reminders/tests/test_link.py, test_calendar.py).
    "reminder_link",
    "reminder_link_done",
    "ical_feed",
    "clinician_ical_feed",  # reports/tests/test_calendar.py
    # Signed link for the person driving the patient home (treatment/tests/test_driver.py).
    "driver_sheet",
}

# The JSON API (/api/v1/) and the token pages. API callers authenticate with a token or the
# session; api/tests/ checks every operation: anonymous or revoked token 401, another clinic,
# another patient or the wrong role 404 (test_tenancy.py), bad input 4xx (test_bad_input.py).
API = {
    "api-root",
    "api_index",
    "api_not_found",
    "openapi-json",
    "openapi-view",
    "api_whoami",
    "api_my_phase",
    "api_my_check_ins",
    "api_submit_check_in",
    "api_my_scales",
    "api_submit_scale",
    "api_list_patients",
    "api_get_patient_record",
    "api_patient_courses",
    "api_patient_infusions",
    "api_patient_check_ins",
    "api_patient_scales",
    "api_patient_trajectory",
    "api_patient_alerts",
    "api_list_alerts",
    "api_my_fhir",
    "api_patient_fhir",
    "api_bulk_fhir",
    "api_tokens",  # any logged-in user's own tokens (api/tests/test_tokens.py)
    "api_token_revoke",
}

# name -> (method, path template). {alice} is Alice's patient id.
ALICE_PAGES = {
    "staff_safety_plan": ("get", "/clinic/patients/{alice}/safety-plan/"),
    "alert_detail": ("get", "/clinic/alerts/{alert}/"),  # {alert}: an alert of Alice's
    "patient_detail": ("get", "/clinic/patients/{alice}/"),
    "resend_invitation": ("post", "/clinic/patients/{alice}/invitation/"),
    "assign_clinician": ("post", "/clinic/patients/{alice}/clinician/"),  # test_staff.py
    "new_infusion": ("get", "/clinic/patients/{alice}/infusions/new/"),
    "patient_outcomes": ("get", "/clinic/patients/{alice}/response/"),
    # {session}: a scheduled infusion of Alice's (treatment/tests/records.py).
    "new_course": ("get", "/clinic/patients/{alice}/courses/new/"),
    "patient_schedule": ("get", "/clinic/patients/{alice}/schedule/"),
    "session_detail": ("get", "/clinic/sessions/{session}/"),
    "session_discharge": ("get", "/clinic/sessions/{session}/discharge/"),
    "session_addendum": ("post", "/clinic/sessions/{session}/addendum/"),
    "session_rems_submitted": ("post", "/clinic/sessions/{session}/rems/"),
    "discharge_instructions": ("get", "/clinic/sessions/{session}/instructions/"),
    "discharge_instructions_pdf": ("get", "/clinic/sessions/{session}/instructions.pdf"),
    "session_move": ("get", "/clinic/sessions/{session}/move/"),
    "session_cancel": ("get", "/clinic/sessions/{session}/cancel/"),
    "session_no_show": ("post", "/clinic/sessions/{session}/no-show/"),
    "workspace_timeline": ("get", "/clinic/patients/{alice}/timeline/"),
    "note_new": ("get", "/clinic/patients/{alice}/notes/new/"),
    "staff_care_plan": ("get", "/clinic/patients/{alice}/care-plan/"),
    "progress_report": ("get", "/clinic/patients/{alice}/progress-report/"),
    "patient_contact": ("get", "/clinic/patients/{alice}/contact/"),  # test_contact.py
}
# Session steps posted empty: staff get 400 (the form explains what is missing).
ALICE_SESSION_STEPS = {
    "session_arrival": ("post", "/clinic/sessions/{session}/arrival/"),
    "session_pre_dose": ("post", "/clinic/sessions/{session}/pre-dose/"),
    "session_start": ("post", "/clinic/sessions/{session}/start/"),
    "session_end": ("post", "/clinic/sessions/{session}/end/"),
    "session_round": ("post", "/clinic/sessions/{session}/rounds/"),
    # Clinician notes (workspace/tests/records.py): {note} signed, {draft} a draft of Carol's.
    "note_addendum": ("post", "/clinic/patients/{alice}/notes/{note}/addendum/"),
    "note_edit": ("post", "/clinic/patients/{alice}/notes/{draft}/"),
}
STAFF_PAGES = {
    "alert_list": ("get", "/clinic/alerts/"),
    "safety_settings": ("get", "/clinic/safety-settings/"),
    "patient_list": ("get", "/clinic/patients/"),
    "invite_patient": ("get", "/clinic/patients/invite/"),
    "outcomes_dashboard": ("get", "/clinic/outcomes/"),
    "outcomes_patients": ("get", "/clinic/outcomes/patients/?metric=treated"),
    "outcomes_definitions": ("get", "/clinic/outcomes/definitions/"),
    "scale_schedule": ("get", "/clinic/scale-schedule/"),
    "clinic_schedule": ("get", "/clinic/schedule/"),
    "clinic_chair": ("get", "/clinic/chair/"),  # treatment/tests/test_chair.py
    "rems_due": ("get", "/clinic/rems/"),
    "clinic_protocol": ("get", "/clinic/settings/monitoring/"),
    "workspace_patients": ("get", "/clinic/workspace/"),
    "clinic_exports": ("get", "/clinic/exports/"),
    "deidentified_export": ("get", "/clinic/exports/outcomes-deidentified.csv"),
    # Staff sign-in codes (accounts/tests/test_two_factor.py).
    "two_factor_setup": ("get", "/accounts/two-factor/setup/"),
    "two_factor_verify": ("get", "/accounts/two-factor/verify/"),
    "sign_in_settings": ("get", "/clinic/settings/sign-in/"),
    "clinic_settings": ("get", "/clinic/settings/"),  # accounts/tests/test_clinic_settings.py
}
PATIENT_PAGES = {
    "safety_plan": ("get", "/me/safety-plan/"),
    "safety_plan_edit": ("get", "/me/safety-plan/edit/"),
    "concern": ("get", "/me/concern/"),
    "patient_home": ("get", "/me/"),
    "recovery_timeline": ("get", "/me/recovery/"),
    "check_in": ("post", "/me/check-in/"),
    "journal_list": ("get", "/me/journal/"),
    "journal_new": ("get", "/me/journal/new/"),
    "scale_form": ("get", "/me/scales/phq9/"),
    "trends": ("get", "/me/trends/"),
    "export_csv": ("get", "/me/export.csv"),
    "summary_pdf": ("get", "/me/summary.pdf"),
    # {check_in}, {journal}, {scale}: one of Alice's own records (tracking/tests/records.py).
    "check_in_edit": ("get", "/me/check-ins/{check_in}/edit/"),
    "journal_edit": ("get", "/me/journal/{journal}/"),
    "journal_delete": ("get", "/me/journal/{journal}/delete/"),
    "scale_result": ("get", "/me/scales/phq9/{scale}/"),
    "reminder_preferences": ("get", "/me/reminders/"),
    "calendar": ("get", "/me/calendar/"),
    "care_plan": ("get", "/me/care-plan/"),
    "my_data": ("get", "/me/data/"),  # lifecycle/tests/test_patient_data.py
    "mood_import": ("get", "/me/import/"),
    "mood_import_preview": ("get", "/me/import/preview/"),
    "my_contact": ("get", "/me/contact/"),  # accounts/tests/test_contact.py
}

# A patient's action on one of their own records, answered with a redirect to its page.
# {data_request}: a waiting data request of Alice's (lifecycle/tests/test_patient_data.py).
PATIENT_ACTIONS = {
    "withdraw_data_request": ("post", "/me/data/{data_request}/withdraw/"),
}

# The clinic admin only: not clinicians, not another clinic (audit/tests, lifecycle/tests).
ADMIN_PAGES = {
    "audit_log": ("get", "/clinic/audit/"),
    "audit_export": ("get", "/clinic/audit/export.csv"),
    "data_requests": ("get", "/clinic/data-requests/"),
    # Staff accounts (accounts/tests/test_staff.py).
    "staff_list": ("get", "/clinic/staff/"),
    "invite_staff": ("get", "/clinic/staff/invite/"),
}
# One of Riverside's staff accounts ({member}: Carol): Riverside's admin only.
STAFF_MEMBER_PAGES = {
    "staff_member": ("get", "/clinic/staff/{member}/"),
    "resend_staff_invitation": ("post", "/clinic/staff/{member}/invitation/"),
}
# Every signed-in person's own account (accounts/tests/test_password_change.py).
ACCOUNT_PAGES = {
    "change_password": ("get", "/accounts/password/"),
    "unsent": ("get", "/accounts/unsent/"),  # accounts/tests/test_unsent.py
}
ALICE_ADMIN_PAGES = {
    "patient_data_export": ("get", "/clinic/patients/{alice}/data/export.zip"),
    "patient_data_delete": ("get", "/clinic/patients/{alice}/data/delete/"),
}

# Content library (library/tests/): everyone logged in reads, staff also see drafts, the clinic
# admin publishes. {article} is a published article of Riverside's own, hidden from Lakeside.
LIBRARY_READER_PAGES = {
    "library_index": ("get", "/learn/"),
    "library_category": ("get", "/learn/category/patient-education/"),
    "library_tag": ("get", "/learn/tag/aftercare/"),
    "library_article": ("get", "/learn/{article}/"),
}
LIBRARY_STAFF_PAGES = {
    "library_manage": ("get", "/clinic/library/"),
    "library_preview": ("get", "/clinic/library/{article}/"),
}
LIBRARY_PUBLISHER_PAGES = {
    "library_upload": ("get", "/clinic/library/upload/"),
    # Without a pending upload: back to the upload form, nothing written (library/tests).
    "library_upload_confirm": ("post", "/clinic/library/upload/confirm/"),
    "library_status": ("post", "/clinic/library/{article}/status/"),
    "library_new": ("get", "/clinic/library/new/"),
    # The clinic's own articles only: shared ones and Lakeside's are a 404 (library/tests).
    "library_edit": ("get", "/clinic/library/{article}/edit/"),
}
LIBRARY_PAGES = LIBRARY_READER_PAGES | LIBRARY_STAFF_PAGES | LIBRARY_PUBLISHER_PAGES


def url_names(resolver=None) -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names |= url_names(pattern)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_view_has_an_access_rule():
    covered = (
        PUBLIC
        | API
        | ALICE_PAGES.keys()
        | STAFF_PAGES.keys()
        | PATIENT_PAGES.keys()
        | PATIENT_ACTIONS.keys()
        | LIBRARY_PAGES.keys()
        | ALICE_SESSION_STEPS.keys()
        | ADMIN_PAGES.keys()
        | ALICE_ADMIN_PAGES.keys()
        | STAFF_MEMBER_PAGES.keys()
        | ACCOUNT_PAGES.keys()
    )
    assert url_names() - covered == set()


def call(client, spec, alice):
    method, template = spec
    ids = {"alice": alice.pk}
    if "{alert}" in template:
        ids["alert"] = alert_of(alice)
    if "{session}" in template:
        from aftercare.treatment.tests.records import session_id_of

        ids["session"] = session_id_of(alice)
    if "{member}" in template:
        ids["member"] = alice.clinician_id
    ids |= own_records_of(alice, template)
    if "{data_request}" in template:
        from aftercare.lifecycle.tests.records import waiting_request_id

        ids["data_request"] = waiting_request_id(alice)
    if "{note}" in template or "{draft}" in template:
        from aftercare.workspace.tests.records import note_ids

        ids |= note_ids(alice, template)
    return getattr(client, method)(template.format(**ids))


def own_records_of(patient, template: str) -> dict:
    from aftercare.tracking.tests.records import own_record_ids

    return own_record_ids(patient, template)


def alert_of(patient) -> int:
    from aftercare.safety.actions import report_concern
    from aftercare.safety.models import Alert

    alert = Alert.objects.filter(patient=patient).first() or report_concern(patient=patient)
    return alert.pk


@pytest.mark.parametrize("name", sorted(ALICE_PAGES))
def test_alices_pages_are_hidden_from_others(name, as_user, alice, bob, eve, carol, dana, client):
    spec = ALICE_PAGES[name]
    assert call(as_user(eve), spec, alice).status_code == 404
    assert call(as_user(bob.user), spec, alice).status_code == 404
    assert call(as_user(alice.user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(carol), spec, alice).status_code in (200, 302)
    assert call(as_user(dana), spec, alice).status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(ALICE_SESSION_STEPS))
def test_alices_session_steps_are_hidden_from_others(name, as_user, alice, bob, eve, carol, client):
    spec = ALICE_SESSION_STEPS[name]
    assert call(as_user(eve), spec, alice).status_code == 404
    assert call(as_user(bob.user), spec, alice).status_code == 404
    assert call(as_user(alice.user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(carol), spec, alice).status_code == 400


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_pages_are_for_staff(name, as_user, alice, eve, carol, client):
    spec = STAFF_PAGES[name]
    assert call(as_user(alice.user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(carol), spec, alice).status_code == 200
    assert call(as_user(eve), spec, alice).status_code == 200


@pytest.mark.parametrize("name", sorted(PATIENT_PAGES))
def test_patient_pages_are_for_patients(name, as_user, alice, carol, client):
    spec = PATIENT_PAGES[name]
    assert call(as_user(carol), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(alice.user), spec, alice).status_code in (200, 400)


@pytest.mark.parametrize("name", sorted(PATIENT_ACTIONS))
def test_patient_actions_are_the_patients_own(name, as_user, alice, bob, carol, dana, client):
    spec = PATIENT_ACTIONS[name]
    for user in (bob.user, carol, dana):
        assert call(as_user(user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(client, spec, alice)["Location"].startswith("/accounts/login/")
    assert call(as_user(alice.user), spec, alice).status_code == 302


@pytest.mark.parametrize("name", sorted(ADMIN_PAGES | ALICE_ADMIN_PAGES | STAFF_MEMBER_PAGES))
def test_admin_pages_are_for_the_clinic_admin(name, as_user, alice, bob, carol, dana, eve, client):
    spec = (ADMIN_PAGES | ALICE_ADMIN_PAGES | STAFF_MEMBER_PAGES)[name]
    for user in (alice.user, bob.user, carol, eve):
        assert call(as_user(user), spec, alice).status_code == 404
    assert call(client, spec, alice).status_code == 302
    assert call(as_user(dana), spec, alice).status_code in (200, 302)


def test_the_patient_list_shows_only_the_clinics_own_patients(as_user, alice, bob, eve, lakeside):
    from aftercare.accounts.actions import create_patient

    create_patient(
        clinic=lakeside,
        email="lena@example.org",
        first_name="Lena",
        last_name="Lake",
        timezone="America/Chicago",
    )
    riverside_list = as_user(alice.clinician).get("/clinic/patients/").content.decode()
    lakeside_list = as_user(eve).get("/clinic/patients/").content.decode()
    assert "Archer" in riverside_list
    assert "Baker" in riverside_list
    assert "Lake" not in riverside_list
    assert "Lake" in lakeside_list
    assert "Archer" not in lakeside_list


def test_the_patient_list_uses_a_constant_number_of_queries(
    as_user, carol, riverside, django_assert_max_num_queries
):
    from aftercare.accounts.actions import create_patient

    for i in range(30):
        create_patient(
            clinic=riverside,
            email=f"p{i}@example.org",
            first_name="P",
            last_name=f"Number{i}",
            timezone="America/New_York",
        )
    client = as_user(carol)
    with django_assert_max_num_queries(6):
        response = client.get("/clinic/patients/")
    assert response.content.decode().count("Number") == 30


def test_reading_a_patient_record_is_audited(as_user, alice, carol):
    from aftercare.audit.models import AuditEvent

    as_user(carol).get(f"/clinic/patients/{alice.pk}/")
    event = AuditEvent.objects.get(patient=alice, what="patient record")
    assert (event.actor, event.action, event.ip_address) == (carol, "view", "127.0.0.1")


def call_library(client, spec, riverside):
    from aftercare.library.models import Article
    from aftercare.library.tests.helpers import make_article

    article = Article.objects.filter(slug="riverside-only").first() or make_article(
        "riverside-only", title="Riverside only", clinic=riverside, tags=("aftercare",)
    )
    method, template = spec
    return getattr(client, method)(template.format(article=article.slug))


@pytest.mark.parametrize("name", sorted(LIBRARY_PAGES))
def test_library_pages_are_for_readers_staff_or_publishers(
    name, as_user, alice, carol, dana, eve, client, riverside
):
    spec = LIBRARY_PAGES[name]
    assert call_library(client, spec, riverside).status_code == 302
    if name in LIBRARY_READER_PAGES:
        allowed = {alice.user, carol, dana}
    elif name in LIBRARY_STAFF_PAGES:
        allowed = {carol, dana}
    else:
        allowed = {dana}
    for user in (alice.user, carol, dana):
        status = call_library(as_user(user), spec, riverside).status_code
        assert (status in (200, 302, 400)) == (user in allowed), (user.email, status)
    # Eve (Lakeside) never sees Riverside's own article.
    response = call_library(as_user(eve), spec, riverside)
    assert response.status_code in (200, 404)
    assert "Riverside only" not in response.content.decode()
