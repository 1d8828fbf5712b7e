"""One error shape for every failure: ``{"detail": ..., "errors": [{"field", "message"}]}``.

A check-in refused for its input still carries ``crisis`` when an urgent warning sign was
answered yes: where to get help never waits for valid input (as on the web form), and the care
team is told at once (safety.screening.screen_unsaved_*).
"""

import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from aftercare.tracking.forms import URGENT_SIGNS, ScaleForm
from aftercare.tracking.instruments import INSTRUMENTS

# Body sources: the first part of a location ("body", "query", "path") is not a field name.
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class InputRefused(Exception):
    """Input the domain (a form, scoring) refused after the schema accepted it."""

    def __init__(self, errors: Iterable[tuple[str | None, str]], crisis: Any = None) -> None:
        self.errors = list(errors)
        self.crisis = crisis
        super().__init__(self.errors)


def body(detail: str, errors: Iterable[tuple[str | None, str]] = (), crisis: Any = None) -> dict:
    out: dict[str, Any] = {
        "detail": detail,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }
    if crisis is not None:
        out["crisis"] = crisis
    return out


def _field(loc: Iterable[Any]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        # A body's first part is the parameter that holds it ("payload").
        if source == "body" and parts:
            parts.pop(0)
    return ".".join(parts) or None


def _urgent_unsaved(request: HttpRequest) -> Any:
    """Crisis information for a check-in or questionnaire whose input the schema refused but
    that holds an answer about safety; the care team is told as for input the form refuses."""
    match = getattr(request, "resolver_match", None)
    # These paths also serve lists (GET): only a POST to them is a submission.
    if request.method != "POST" or match is None:
        return None
    check_in = match.route.endswith("me/check-ins")
    instrument = match.kwargs.get("instrument") if "me/scales/" in match.route else None
    if not check_in and instrument is None:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, RequestDataTooBig):
        return None
    patient = getattr(request.user, "patient", None)
    if not isinstance(data, dict) or patient is None:
        return None
    key = _uuid_or_none(data.get("submission_key"))
    from aftercare.api.crisis import unsaved_crisis
    from aftercare.safety.screening import (
        screen_unsaved_check_in,
        screen_unsaved_scale,
        unsaved_help,
    )

    if check_in:
        signs = {name: data.get(name) in (True, "yes") for name in URGENT_SIGNS}
        note = data.get("note")
        screen_unsaved_check_in(
            patient, signs=signs, submission_key=key, note=note if isinstance(note, str) else ""
        )
        message = unsaved_help(signs, note if isinstance(note, str) else "")
        return unsaved_crisis(patient.clinic, message) if message else None
    definition = INSTRUMENTS.get(str(instrument))
    answers = data.get("answers")
    if definition is None or not isinstance(answers, dict):
        return None
    raw = {str(k): str(v) for k, v in answers.items() if type(v) is int}
    warning = ScaleForm(definition, raw).warning_answers()
    if not warning:
        return None
    screen_unsaved_scale(patient, instrument=definition.key, answers=warning, submission_key=key)
    return unsaved_crisis(patient.clinic, "UNSAVED_QUESTIONNAIRE")


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if isinstance(value, str) and len(value) <= 100 else None
    except ValueError:
        return None


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, content: dict) -> HttpResponse:
        return api.create_response(request, content, status=status)

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [(_field(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors]
        crisis = _urgent_unsaved(request)
        return respond(request, 422, body(_("The input is not valid."), errors, crisis))

    @api.exception_handler(InputRefused)
    def refused(request: HttpRequest, exc: InputRefused) -> HttpResponse:
        return respond(request, 422, body(_("The input is not valid."), exc.errors, exc.crisis))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request, 401, body(_("Authentication required: send a valid API token."))
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, body(str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, body(_("Not found.")))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, body(_("Not allowed.")))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, body(_("The request body is too large.")))
