"""A form sent just after an idle sign-out is kept, not lost.

The idle time-out (security.SessionTimeoutMiddleware) ends the session before the view runs,
so whatever the person pressed Send on would be thrown away: a check-in, a journal entry, a
note about a round. Instead it is kept in the new, signed-out session for the same account
only. Once that person signs in again they see it and choose to send it (to the address it was
meant for, through the same view and checks) or to discard it. Someone else signing in on the
same browser never sees it.

An urgent answer does not wait for that: a check-in or a PHQ-9 kept this way is screened at
once, as an unsaved form with errors is (safety/screening.py), so the care team hears of it
even if the patient never signs in again.

After KEEP_SECONDS the kept form is dropped. The person is told so once, at the next sign-in
(or when they open it too late), by what it was and when they sent it, never by its content.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftercare.accounts.models import Patient, User
from aftercare.accounts.scoping import signed_in_required

UNSENT = "unsent_form"
KEEP_SECONDS = 2 * 60 * 60
MAX_KEPT_CHARACTERS = 100_000  # a journal entry is at most 20,000; an upload is never kept
SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken"})
WHAT_IT_WAS = {
    "check_in": _("your check-in"),
    "check_in_edit": _("a change to your check-in"),
    "journal_new": _("a new journal entry"),
    "journal_edit": _("a change to a journal entry"),
    "scale_form": _("a questionnaire"),
    "concern": _("a message to your care team"),
    "safety_plan_edit": _("your safety plan"),
}


@dataclass(frozen=True)
class Unsent:
    action: str  # the address the form was sent to
    what: str
    sent_at: float
    texts: list[str]  # what was typed in words, for the person to recognise it
    data: dict[str, list[str]]


def keep(request: HttpRequest, user: User) -> bool:
    """Keep the form this request carries (after ``logout``), and screen urgent answers (the
    sign-in page then gives the crisis numbers). False when there is nothing that can be kept
    (no form, a file, too large)."""
    if request.method != "POST" or request.FILES:
        return False
    data = {k: request.POST.getlist(k) for k in request.POST if k not in SKIPPED_FIELDS}
    if not data or sum(len(v) for values in data.values() for v in values) > MAX_KEPT_CHARACTERS:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    request.session[UNSENT] = {
        "user": user.pk,
        "action": request.path,
        "url_name": match.url_name or "",
        "at": time.time(),
        "data": data,
    }
    if _screen(user, match.url_name or "", request.POST, match.kwargs):
        clinic = user.clinic
        messages.warning(
            request,
            _(
                "Your care team has been told about your answers. If you are in danger now, "
                "call %(emergency)s, or call or text %(crisis)s (%(name)s)."
            )
            % {
                "emergency": clinic.emergency_number,
                "crisis": clinic.crisis_line_phone,
                "name": clinic.crisis_line_name,
            },
        )
    return True


def _screen(user: User, url_name: str, post: Any, kwargs: dict[str, Any]) -> bool:
    """Whether urgent answers were found and passed to the care team."""
    patient = getattr(user, "patient", None) if user.is_patient else None
    if patient is None:
        return False
    from aftercare.safety.screening import screen_unsaved_check_in, screen_unsaved_scale
    from aftercare.tracking.forms import CheckInForm, ScaleForm
    from aftercare.tracking.instruments import INSTRUMENTS

    if url_name == "check_in":
        form = CheckInForm(post)
        form.is_valid()
        return bool(
            screen_unsaved_check_in(
                patient,
                signs=form.urgent_signs(),
                submission_key=form.submitted_key(),
                note=form.typed_note(),
            )
        )
    if url_name == "scale_form" and kwargs.get("instrument") in INSTRUMENTS:
        scale = ScaleForm(INSTRUMENTS[kwargs["instrument"]], post)
        scale.is_valid()
        return bool(
            screen_unsaved_scale(
                patient,
                instrument=kwargs["instrument"],
                answers=scale.warning_answers(),
                submission_key=scale.submitted_key(),
            )
        )
    return False


def waiting(request: HttpRequest) -> Unsent | None:
    """The form kept for the signed-in person, if any; anyone else's is dropped."""
    kept = request.session.get(UNSENT)
    if not kept:
        return None
    user = request.user
    if not user.is_authenticated or kept.get("user") != user.pk:
        discard(request)
        return None
    if _expired(kept):
        _drop_expired(request, user, kept)
        return None
    data: dict[str, list[str]] = kept["data"]
    texts = [v for values in data.values() for v in values if _is_writing(v)]
    return Unsent(
        action=kept["action"],
        what=str(WHAT_IT_WAS.get(kept.get("url_name", ""), _("a form"))),
        sent_at=kept["at"],
        texts=texts,
        data=data,
    )


def _expired(kept: dict[str, Any]) -> bool:
    return time.time() - kept.get("at", 0) > KEEP_SECONDS


def _drop_expired(request: HttpRequest, user: User, kept: dict[str, Any]) -> None:
    """Drop the kept form and tell its owner once: what it was and when, not what it said."""
    discard(request)
    try:
        tz = user.patient.tz
    except Patient.DoesNotExist:
        tz = user.clinic.tz
    sent = datetime.fromtimestamp(kept.get("at", 0), tz=UTC).astimezone(tz)
    hours = KEEP_SECONDS // 3600
    notice = ngettext(
        "You sent %(what)s on %(when)s, just after being signed out. It was kept for "
        "%(hours)d hour and has now been discarded, so it was not saved. Please fill it in "
        "again.",
        "You sent %(what)s on %(when)s, just after being signed out. It was kept for "
        "%(hours)d hours and has now been discarded, so it was not saved. Please fill it in "
        "again.",
        hours,
    ) % {
        "what": WHAT_IT_WAS.get(kept.get("url_name", ""), _("a form")),
        "when": formats.date_format(sent, "j F Y, H:i"),
        "hours": hours,
    }
    # A sign-in without the message framework (a test client's force_login) has no one to tell.
    messages.warning(request, notice, fail_silently=True)


def still_waiting(request: HttpRequest) -> bool:
    """Whether the signed-in person has a kept form to send; one that has just expired is
    dropped and reported here, so the notice on every page never outlives the form."""
    kept = request.session.get(UNSENT) or {}
    if kept.get("user") != request.user.pk:
        return False
    if _expired(kept):
        _drop_expired(request, request.user, kept)  # type: ignore[arg-type]
        return False
    return True


@receiver(user_logged_in)
def tell_if_dropped(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Signing in after the form has expired: say so now, instead of a notice that leads
    nowhere."""
    session = getattr(request, "session", None)
    if request is None or session is None:
        return
    kept = session.get(UNSENT)
    if kept and kept.get("user") == user.pk and _expired(kept):
        _drop_expired(request, user, kept)


def _is_writing(value: str) -> bool:
    """Words someone typed (to show them), not a choice, a number or a form's hidden key."""
    value = value.strip()
    if " " in value:
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return len(value) > 20
    return False


def discard(request: HttpRequest) -> None:
    request.session.pop(UNSENT, None)


def forget_once_sent(request: HttpRequest) -> None:
    """The kept form has been sent again (or something else was sent to its address)."""
    kept = request.session.get(UNSENT)
    if kept and request.method == "POST" and request.path == kept.get("action"):
        discard(request)


@signed_in_required
def unsent_form(request: HttpRequest) -> HttpResponse:
    """After signing in again: the kept form, to send or to discard."""
    kept = waiting(request)
    if request.method == "POST":
        discard(request)
        messages.info(request, _("Discarded: it was not saved."))
        return redirect("home")
    if kept is None:
        return redirect("home")
    return render(request, "accounts/unsent.html", {"kept": kept})
