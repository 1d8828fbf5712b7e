"""Warning before the idle sign-out, and a way to stay signed in (WCAG 2.2.1 Timing
Adjustable). The page's script (static/aftercare/session.js) shows the warning two minutes
before the session would end, or half the idle time when that is shorter; "Stay signed in"
and typing into a form call ``keepalive``, which counts as activity
(security.SessionTimeoutMiddleware moves the idle clock on). What is sent after the sign-out
anyway is kept (unsent.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

WARN_BEFORE_SECONDS = 120


def session_clock(request: HttpRequest) -> dict[str, Any]:
    """Template context: the idle limit and when to warn, for a signed-in session only."""
    idle = settings.SESSION_IDLE_MINUTES * 60
    if not idle or not request.user.is_authenticated or SESSION_KEY not in request.session:
        return {"idle_seconds": 0}
    return {"idle_seconds": idle, "warn_seconds": min(WARN_BEFORE_SECONDS, idle // 2)}


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    # No redirect to the sign-in page: the script must tell a live session from an ended one.
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
