"""Warning before the idle sign-out, and a way to stay signed in (WCAG 2.2.1 Timing
Adjustable). The page's script (static/aftercare/session.js) shows the warning two minutes
before the session would end, or half the idle time when that is shorter; "Stay signed in"
and typing into a form call ``keepalive``, which counts as activity
(security.SessionTimeoutMiddleware moves the idle clock on). What is sent after the sign-out
anyway is kept (unsent.py)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from aftercare.accounts import unsent
from aftercare.accounts.security import LAST_SEEN

WARN_BEFORE_SECONDS = 120


def session_clock(request: HttpRequest) -> dict[str, Any]:
    """Template context: the idle limit and when to warn, for a signed-in session only; and
    whether a form kept across a sign-out waits to be sent (a notice on every page, however
    the person signed in again)."""
    session = getattr(request, "session", None)  # none in a page rendered outside a request
    if session is None or not request.user.is_authenticated or SESSION_KEY not in session:
        return {"idle_seconds": 0}
    context: dict[str, Any] = {"unsent_waiting": unsent.still_waiting(request)}
    idle = settings.SESSION_IDLE_MINUTES * 60
    if idle:
        context |= {"idle_seconds": idle, "warn_seconds": min(WARN_BEFORE_SECONDS, idle // 2)}
    return context


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    # No redirect to the sign-in page: the script must tell a live session from an ended one.
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    # Always moves the idle clock on (page requests do so at most once a minute).
    request.session[LAST_SEEN] = int(time.time())
    return HttpResponse(status=204)
