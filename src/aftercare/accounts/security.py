"""Session expiry and staff two-factor sign-in, checked on every request (docs/security.md).

Two-factor applies to clinicians and admins whose clinic requires it, and to any staff member who
has set up an authenticator of their own. Until they enter a code, every page sends them to the
verify page (or to the set-up page if they have no authenticator yet); only those pages and
logging out stay open.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user

from aftercare.accounts import unsent
from aftercare.accounts.models import Role, User

KEPT_AFTER_SIGN_OUT = gettext_lazy(
    "You were signed out after a while without activity, before what you sent arrived. It is "
    "kept: sign in to send it."
)
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
HAS_DEVICE = "otp_has_device"
# Refresh the idle clock at most once a minute, so a busy page does not write the session on
# every request.
LAST_SEEN_RESOLUTION = 60
TWO_FACTOR_OPEN = frozenset({"two_factor_setup", "two_factor_verify", "logout", "healthz"})
STAFF_ROLES = (Role.CLINICIAN, Role.ADMIN)


def has_confirmed_device(user: User) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


@receiver(user_logged_in)
def remember_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Start the session clocks and note once whether this staff member has an authenticator."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    if getattr(user, "role", None) in STAFF_ROLES:
        request.session[HAS_DEVICE] = has_confirmed_device(user)


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if getattr(user, "role", None) not in STAFF_ROLES:
        return False
    if user.is_verified():  # type: ignore[union-attr]
        return False
    return bool(user.clinic.require_staff_2fa or request.session.get(HAS_DEVICE))  # type: ignore[union-attr]


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only real logins: a reminder link lends a patient's identity without one (it has
        # its own, shorter expiry in reminders/middleware.py).
        if request.user.is_authenticated and SESSION_KEY in request.session:
            session = request.session
            now = int(time.time())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if (
                idle and now - last_seen > idle
            ) or now - signed_in_at > settings.SESSION_COOKIE_AGE:
                user = request.user
                logout(request)
                if unsent.keep(request, user):
                    messages.info(request, KEPT_AFTER_SIGN_OUT)
                    return HttpResponseRedirect(
                        reverse(settings.LOGIN_URL) + "?" + urlencode({"next": reverse("unsent")})
                    )
                messages.info(
                    request,
                    _("You were signed out after a while without activity. Please sign in again."),
                )
                return _to(reverse(settings.LOGIN_URL), request)
            if idle and (LAST_SEEN not in session or now - last_seen >= LAST_SEEN_RESOLUTION):
                session[LAST_SEEN] = now
            unsent.forget_once_sent(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Hold staff at the one-time-code step until they have passed it in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and SESSION_KEY in request.session
            and needs_second_factor(request)
        ):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in TWO_FACTOR_OPEN:
                step = (
                    "two_factor_verify" if request.session.get(HAS_DEVICE) else "two_factor_setup"
                )
                return _to(reverse(step), request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """No page needs the camera, microphone or location: say so to the browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page django-axes shows instead of the login form while a lockout lasts."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
        },
        status=429,
    )


def _to(url: str, request: HttpRequest) -> HttpResponseRedirect:
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(url)
