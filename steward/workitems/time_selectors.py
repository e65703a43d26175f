"""Reads of time entries: a record's entries and totals, and per-person sums over a period
(the input of cost accounting)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils.translation import gettext as _

from steward.core.errors import NotFound, NotPermitted
from steward.workitems import time_permissions as perms
from steward.workitems.models import WorkItem
from steward.workitems.registry import record_type_for_model
from steward.workitems.time_models import ActivityType, TimeEntry


def time_entries_for(*, record: WorkItem) -> QuerySet[TimeEntry]:
    """The record's entries (the caller's selector decided the record is visible)."""
    return TimeEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("person", "activity")


def time_entry_get_for(*, user: Any, entry_id: int) -> TimeEntry:
    """An entry whose record ``user`` may see; otherwise ``NotFound``."""
    entry = TimeEntry.objects.select_related("content_type", "person").filter(pk=entry_id).first()
    if entry is not None:
        model = entry.content_type.model_class()
        record_type = record_type_for_model(model) if model is not None else None
        if (
            record_type is not None
            and record_type.model.objects.visible_to(user).filter(pk=entry.object_id).exists()
        ):
            return entry
    raise NotFound(_("No such time entry."))


@dataclass(frozen=True)
class PersonTotal:
    person_id: int
    person_label: str
    minutes: int
    entries: int


@dataclass(frozen=True)
class RecordTotals:
    minutes: int
    by_person: list[PersonTotal]


def time_totals_for(*, record: WorkItem) -> RecordTotals:
    """Total minutes on the record, and per person (most first)."""
    rows = (
        time_entries_for(record=record)
        .values("person_id", "person__name", "person__username")
        .annotate(minutes=Sum("minutes"), entries=Count("pk"))
        .order_by("-minutes", "person_id")
    )
    by_person = [
        PersonTotal(r["person_id"], r["person__name"] or r["person__username"], r["minutes"],
                    r["entries"])
        for r in rows
    ]
    return RecordTotals(sum(p.minutes for p in by_person), by_person)


def totals_of(entries: Iterable[TimeEntry]) -> RecordTotals:
    """The totals of entries already loaded (with their persons), without another query."""
    sums: dict[int, list[Any]] = {}
    for entry in entries:
        row = sums.setdefault(entry.person_id, [str(entry.person), 0, 0])
        row[1] += entry.minutes
        row[2] += 1
    by_person = sorted(
        (PersonTotal(pk, label, minutes, n) for pk, (label, minutes, n) in sums.items()),
        key=lambda p: (-p.minutes, p.person_id),
    )
    return RecordTotals(sum(p.minutes for p in by_person), by_person)


@dataclass(frozen=True)
class PeriodSum:
    person_id: int
    period: dt.date  # first day of the period
    minutes: int


def time_sums_by_person(
    *,
    user: Any,
    start: dt.date,
    end: dt.date,
    period: str = "month",
    person_ids: Iterable[int] | None = None,
) -> list[PeriodSum]:
    """Minutes per person per day, ISO week or month for work dates in [start, end].

    Finance, team leads and administrators only (a person's own sums: use ``person_ids``
    with their id). Errors: ``NotPermitted``, ``ValueError`` for an unknown period.
    """
    wanted = list(person_ids) if person_ids is not None else None
    if not perms.can_view_time_totals(user) and wanted != [user.pk]:
        raise NotPermitted(_("Only finance, team leads and administrators see time totals."))
    if period not in TRUNC:
        raise ValueError(period)
    entries = TimeEntry.objects.filter(work_date__gte=start, work_date__lte=end)
    if wanted is not None:
        entries = entries.filter(person_id__in=wanted)
    rows = (
        entries.annotate(period_start=TRUNC[period]("work_date"))
        .values("person_id", "period_start")
        .annotate(minutes=Sum("minutes"))
        .order_by("person_id", "period_start")
    )
    return [PeriodSum(r["person_id"], _as_date(r["period_start"]), r["minutes"]) for r in rows]


TRUNC: dict[str, Any] = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def activity_types() -> QuerySet[ActivityType]:
    return ActivityType.objects.filter(is_active=True)
