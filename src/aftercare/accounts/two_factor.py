"""Setting up an authenticator app and entering its one-time code (docs/security.md).

The code is TOTP (RFC 6238, 30-second steps): any authenticator app works, nothing leaves the
server. At set-up the staff member also gets ten single-use recovery codes for a lost phone.
"""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aftercare.accounts.models import Role, User
from aftercare.accounts.scoping import staff_required
from aftercare.accounts.security import HAS_DEVICE, STAFF_ROLES, has_confirmed_device

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _qr(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=4, svgclass="qr", omitsize=True)
    label = _("QR code to scan with your authenticator app")
    # segno's output is markup it generated itself from our own URL.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S308


@staff_required
def setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    # Replacing an authenticator takes a code from the current one: a password alone is not enough.
    if not user.is_verified() and has_confirmed_device(user):  # type: ignore[attr-defined]
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    # One unconfirmed device at a time; it becomes the user's authenticator once a code matches.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            otp_login(request, device)
            request.session[HAS_DEVICE] = True
            return render(
                request,
                "accounts/two_factor_done.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", _("That code does not match. Enter the newest code from the app."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@staff_required
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("That code does not match. Enter the newest code, or one of your recovery codes."),
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@staff_required
def sign_in_settings(request: HttpRequest) -> HttpResponse:
    """Staff see who has sign-in codes; the clinic admin requires them and resets lost ones."""
    user: User = request.user  # type: ignore[assignment]
    clinic = user.clinic
    if request.method == "POST":
        if user.role != Role.ADMIN:
            raise Http404
        if "reset" in request.POST:
            member_id = request.POST["reset"]
            if not member_id.isdigit() or len(member_id) > 18:
                raise Http404
            member = get_object_or_404(
                User.objects.filter(clinic=clinic, role__in=STAFF_ROLES), pk=int(member_id)
            )
            TOTPDevice.objects.filter(user=member).delete()
            StaticDevice.objects.filter(user=member).delete()
            messages.success(
                request,
                _("%(name)s will set up a new authenticator at their next login.")
                % {"name": member.get_full_name() or member.email},
            )
        else:
            clinic.require_staff_2fa = request.POST.get("require_staff_2fa") == "on"
            clinic.save(update_fields=["require_staff_2fa"])
            messages.success(
                request,
                _("Staff now need a sign-in code.")
                if clinic.require_staff_2fa
                else _("Sign-in codes are now optional for staff."),
            )
        return redirect("sign_in_settings")
    staff = (
        User.objects.filter(clinic=clinic, role__in=STAFF_ROLES)
        .annotate(has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name")
    )
    return render(
        request,
        "accounts/sign_in_settings.html",
        {"clinic": clinic, "staff": staff, "can_edit": user.role == Role.ADMIN},
    )
