"""The restricted session a one-tap reminder link opens.

Opening a valid link does not log the patient in. The session only remembers the link
(``reminder_patient_id`` and the token), and this middleware lends the patient's identity to
exactly these requests: showing the check-in page (``patient_home``, GET), submitting a
check-in (``check_in``, POST) and telling the care team something is wrong (``concern``,
POST). Every other URL sees an anonymous visitor, so anything behind a
login sends them to the login page. If this middleware were missing, the link would open
nothing at all: the design fails closed.

The link is re-checked on every request (expiry, password change, already checked in), and the
restricted session ends after one check-in. The session remembers that check-in's submission key
(``DONE_KEY``): the same form sent again (a double tap, a retry after a lost response) gets the
same answer as the first sending (the "thank you" page, or the crisis screen if it raised an
urgent alert), not a login page. Such a replay can only return the stored check-in: it is let
through only while a check-in with that key exists (tracking/actions.py returns it).
"""

import uuid
from collections.abc import Callable

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from aftercare.reminders import tokens
from aftercare.reminders.actions import checked_in_since
from aftercare.tracking.models import CheckIn

PATIENT_KEY = "reminder_patient_id"
TOKEN_KEY = "reminder_link_token"  # noqa: S105 (a session key, not a secret)
ALLOWED = frozenset(
    {
        ("patient_home", "GET"),
        ("patient_home", "HEAD"),
        ("check_in", "POST"),
        # The "something concerns me" form is on every patient page. A patient who uses it from
        # a reminder link must reach the care team, not a login page that drops the message
        # (PRODUCT.md §4: never lose an alert). It writes; it shows no stored data.
        ("concern", "POST"),
    }
)
DONE_KEY = "reminder_link_submission_key"
# How long the restricted session lasts without activity, in seconds.
SESSION_AGE = 60 * 60


def start(session: SessionBase, grant: tokens.LinkGrant, token: str) -> None:
    session.cycle_key()  # a new session id: the link never joins a session started elsewhere
    session.pop(DONE_KEY, None)
    session[PATIENT_KEY] = str(grant.patient.pk)
    session[TOKEN_KEY] = token
    session.set_expiry(SESSION_AGE)


def end(session: SessionBase) -> None:
    session.pop(DONE_KEY, None)
    session.pop(PATIENT_KEY, None)
    session.pop(TOKEN_KEY, None)
    session.set_expiry(None)


def current_grant(session: SessionBase) -> tokens.LinkGrant | None:
    """The link this session was opened with, if it is still good for a check-in."""
    grant = tokens.grant_for_token(session.get(TOKEN_KEY, ""))
    if grant is None or str(grant.patient.pk) != session.get(PATIENT_KEY):
        return None
    if checked_in_since(grant.patient, grant.local_date):
        return None
    return grant


def _replayed_check_in(request: HttpRequest, done: object) -> CheckIn | None:
    """The check-in this link session already stored, when the same form is sent again."""
    try:
        if resolve(request.path_info).url_name != "check_in":
            return None
    except Resolver404:
        return None
    if (
        not isinstance(done, list)
        or len(done) != 2
        or request.POST.get("submission_key") != done[1]
    ):
        return None
    try:
        key = uuid.UUID(done[1])
    except ValueError:
        return None
    return (
        CheckIn.objects.select_related("patient__user")
        .filter(patient_id=done[0], submission_key=key, patient__user__is_active=True)
        .first()
    )


class ReminderLinkMiddleware:
    """Place after AuthenticationMiddleware and before TimezoneMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if DONE_KEY in session and request.method == "POST" and not request.user.is_authenticated:
            replay = _replayed_check_in(request, session[DONE_KEY])
            if replay is not None:
                request.user = replay.patient.user
                request.reminder_link = True  # type: ignore[attr-defined]
                response = self.get_response(request)
                if isinstance(response, HttpResponseRedirect):
                    return redirect("reminder_link_done")
                return response
        if PATIENT_KEY not in session:
            return self.get_response(request)
        if request.user.is_authenticated:
            end(session)  # a full login replaces the link
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            return self.get_response(request)
        if name == "home" and request.method == "GET":
            return redirect("patient_home")
        if (name, request.method) not in ALLOWED:
            return self.get_response(request)
        grant = current_grant(session)
        if grant is None:
            end(session)
            return self.get_response(request)
        request.user = grant.patient.user
        request.reminder_link = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if name == "check_in" and response.status_code != 400:
            # One check-in per link. The answer page (even an urgent one) is already rendered.
            end(session)
            if request.POST.get("submission_key"):
                session[DONE_KEY] = [str(grant.patient.pk), request.POST["submission_key"][:100]]
            if isinstance(response, HttpResponseRedirect):
                return redirect("reminder_link_done")
        return response
