"""Pagination and date filters shared by the endpoints."""

from datetime import datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Model, QuerySet

from aftercare.api.schemas import ErrorOut, PageQuery

M = TypeVar("M", bound=Model)

# Every operation may answer with these; each body is an ErrorOut.
READ_ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 422), ErrorOut)
WRITE_ERRORS: dict[int, Any] = READ_ERRORS | {413: ErrorOut}


def day_bounds(query: PageQuery, tz: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """[start of ``from``, start of the day after ``to``) as aware datetimes in ``tz``."""
    start = end = None
    if query.date_from:
        start = datetime.combine(query.date_from, time(), tzinfo=tz)
    if query.date_to:
        end = datetime.combine(query.date_to + timedelta(days=1), time(), tzinfo=tz)
    return start, end


def filter_days(queryset: QuerySet[M], field: str, query: PageQuery, tz: ZoneInfo) -> QuerySet[M]:
    start, end = day_bounds(query, tz)
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def filter_dates(queryset: QuerySet[M], field: str, query: PageQuery) -> QuerySet[M]:
    """For date fields (a check-in's local day)."""
    if query.date_from:
        queryset = queryset.filter(**{f"{field}__gte": query.date_from})
    if query.date_to:
        queryset = queryset.filter(**{f"{field}__lte": query.date_to})
    return queryset


def page(queryset: QuerySet[M], query: PageQuery) -> tuple[list[M], dict[str, int]]:
    total = queryset.count()
    items = list(queryset[query.offset : query.offset + query.limit])
    return items, {"total": total, "limit": query.limit, "offset": query.offset}
