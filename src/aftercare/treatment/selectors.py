"""Reads of sessions, always through accounts.scoping: another clinic's session is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aftercare.accounts.models import User
from aftercare.accounts.scoping import patients_visible_to
from aftercare.treatment.models import Infusion


def sessions_visible_to(user: User) -> QuerySet[Infusion]:
    return Infusion.objects.filter(patient__in=patients_visible_to(user)).select_related(
        "patient__user", "patient__clinic", "course"
    )


def get_session(user: User, infusion_id: object) -> Infusion:
    return get_object_or_404(sessions_visible_to(user), pk=infusion_id)


def series_position(infusion: Infusion) -> tuple[int, int] | None:
    """(n, total): the infusion's place in its course by appointment time, cancelled and
    no-show appointments left out. None outside a course."""
    if infusion.course is None:
        return None
    kept = (
        infusion.course.infusions.exclude(
            status__in=(Infusion.Status.CANCELLED, Infusion.Status.NO_SHOW)
        )
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)
    )
    ids = list(kept)
    if infusion.pk not in ids:
        return None
    return ids.index(infusion.pk) + 1, max(infusion.course.planned_infusions, len(ids))


def session_step(infusion: Infusion) -> str:
    """Where the session stands: closed, discharged, recovery (ended), infusing (started),
    start (pre-dose done), pre_dose (arrived), arrival (scheduled)."""
    status = infusion.status
    if status in (Infusion.Status.CANCELLED, Infusion.Status.NO_SHOW):
        return "closed"
    if hasattr(infusion, "discharge"):
        return "discharged"
    if infusion.ended_at is not None:
        return "recovery"
    if infusion.started_at is not None:
        return "infusing"
    if infusion.arrived_at is None:
        return "arrival"
    if not infusion.rounds.filter(kind="pre_dose").exists():
        return "pre_dose"
    return "start"
