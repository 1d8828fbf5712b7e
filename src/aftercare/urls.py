from django.contrib.auth import views as auth_views
from django.urls import include, path

from aftercare.accounts import (
    clinic_settings,
    contact_views,
    keepalive,
    passwords,
    staff_views,
    two_factor,
    unsent,
)
from aftercare.accounts import views as accounts
from aftercare.accounts.forms import EmailLoginForm
from aftercare.core import views as core
from aftercare.guidance import views as guidance
from aftercare.tracking import views as tracking

urlpatterns = [
    path("", include("aftercare.library.urls")),
    path("", include("aftercare.safety.urls")),
    path("", include("aftercare.reminders.urls")),
    path("", include("aftercare.outcomes.urls")),
    path("", include("aftercare.workspace.urls")),
    path("", include("aftercare.careplan.urls")),
    path("", include("aftercare.audit.urls")),
    path("", include("aftercare.lifecycle.urls")),
    path("", include("aftercare.reports.urls")),
    path("", include("aftercare.treatment.urls")),
    path("", include("aftercare.tracking.urls")),
    path("", include("aftercare.api.urls")),
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailLoginForm),
        name="login",
    ),
    path("accounts/logout/", accounts.SignOutView.as_view(), name="logout"),
    path("accounts/password/", passwords.change_password, name="change_password"),
    path("accounts/unsent/", unsent.unsent_form, name="unsent"),
    path("accounts/keepalive/", keepalive.keepalive, name="keepalive"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("clinic/settings/", clinic_settings.clinic_settings, name="clinic_settings"),
    path("clinic/settings/sign-in/", two_factor.sign_in_settings, name="sign_in_settings"),
    path("clinic/staff/", staff_views.staff_list, name="staff_list"),
    path("clinic/staff/invite/", staff_views.invite_staff, name="invite_staff"),
    path("clinic/staff/<int:member_id>/", staff_views.staff_member, name="staff_member"),
    path(
        "clinic/staff/<int:member_id>/invitation/",
        staff_views.resend_staff_invitation,
        name="resend_staff_invitation",
    ),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=passwords.NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitation/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("me/", guidance.patient_home, name="patient_home"),
    path("me/check-in/", tracking.check_in, name="check_in"),
    path("me/contact/", contact_views.my_contact, name="my_contact"),
    path("me/recovery/", guidance.recovery_timeline, name="recovery_timeline"),
    path("clinic/patients/", accounts.patient_list, name="patient_list"),
    path("clinic/patients/invite/", accounts.invite_patient, name="invite_patient"),
    path("clinic/patients/<uuid:patient_id>/", accounts.patient_detail, name="patient_detail"),
    path(
        "clinic/patients/<uuid:patient_id>/clinician/",
        accounts.assign_clinician,
        name="assign_clinician",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/contact/",
        contact_views.patient_contact,
        name="patient_contact",
    ),
    path(
        "clinic/patients/<uuid:patient_id>/invitation/",
        accounts.resend_invitation,
        name="resend_invitation",
    ),
]

handler400 = "aftercare.core.errors.bad_request"
handler403 = "aftercare.core.errors.permission_denied"
handler404 = "aftercare.core.errors.page_not_found"
handler500 = "aftercare.core.errors.server_error"
