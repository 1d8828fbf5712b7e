"""The "In the chair now" board: every session of the clinic under way, what needs a nurse first
on top. It refreshes its list every minute with htmx (the list only) and works without
JavaScript as a plain page."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aftercare.accounts.models import User
from aftercare.accounts.scoping import staff_required
from aftercare.audit.actions import record_many
from aftercare.treatment.actions import protocol_for
from aftercare.treatment.chair import chair_rows, sessions_in_the_chair

BOARD_ID = "chair-board"
REFRESH_SECONDS = 60
# The board open on a screen is one continuous view: the same patient shown again to the same
# person within this time leaves no new audit record (audit.actions.record_many).
AUDIT_ONCE_PER = timedelta(minutes=15)


def _refreshes(request: HttpRequest) -> int:
    """How many times the list has refreshed itself since the page was opened (0 when absent
    or not a number)."""
    try:
        return max(0, int(request.GET.get("refresh", "0")))
    except ValueError:
        return 0


def keeps_refreshing(refreshes: int) -> bool:
    """Whether the list asks for the next refresh. Each refresh is a request, which counts as
    activity for the idle sign-out (accounts.security): the list stops refreshing itself once
    unattended refreshes would reach the idle limit, so a board left open still signs out."""
    idle_minutes: int = settings.SESSION_IDLE_MINUTES
    if not idle_minutes:
        return True
    return (refreshes + 1) * REFRESH_SECONDS < idle_minutes * 60


@staff_required
def clinic_chair(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    now = timezone.now()
    sessions = list(sessions_in_the_chair(user))
    record_many(
        request,
        action="view",
        what="chair board",
        clinic_id=user.clinic_id,
        patient_ids=[i.patient_id for i in sessions],
        not_again_within=AUDIT_ONCE_PER,
    )
    refreshes = _refreshes(request)
    context = {
        "rows": chair_rows(sessions, protocol_for(user.clinic), now=now, tz=user.clinic.tz),
        "now": now,
        "board_id": BOARD_ID,
        "refresh_seconds": REFRESH_SECONDS,
        "next_refresh": refreshes + 1,
        "keep_refreshing": keeps_refreshing(refreshes),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == BOARD_ID:
        return render(request, "treatment/chair_board.html", context)
    return render(request, "treatment/chair.html", context)
