"""Business calendars: hours, exceptions, China's official days, iCalendar import, re-planning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import permissions
from steward.identity.services.common import audited_create
from steward.sla.models import (
    BusinessCalendar,
    CalendarException,
    CalendarKind,
    CalendarYear,
    ExceptionKind,
    ExceptionSource,
    ServiceHours,
    WorkingWindow,
)
from steward.sla.models.calendars import hhmm
from steward.sla.services.replan import clocks_replan_calendar


def _require_admin(actor: Any) -> None:
    if actor is not None and not permissions.is_admin(actor):
        raise NotPermitted(_("Only administrators can change calendars."))


def _check_windows(windows: Sequence[Sequence[int]], field: str) -> list[list[int]]:
    cleaned = sorted([int(start), int(end)] for start, end in windows)
    for start, end in cleaned:
        if not 0 <= start < end <= 1440:
            raise ValidationFailed(
                _("%(start)s-%(end)s is not a valid window.")
                % {"start": hhmm(start), "end": hhmm(end)},
                field=field,
            )
    for (_s1, end1), (start2, _e2) in zip(cleaned, cleaned[1:], strict=False):
        if start2 < end1:
            raise ValidationFailed(_("Working windows overlap."), field=field)
    return cleaned


def _bump(calendar: BusinessCalendar, actor: Any, action: str, changes: dict[str, Any]) -> None:
    BusinessCalendar.objects.filter(pk=calendar.pk).update(version=calendar.version + 1)
    calendar.version += 1
    audit_record(
        actor=actor,
        obj=calendar,
        action=action,
        changes={**changes, "version": [calendar.version - 1, calendar.version]},
    )
    clocks_replan_calendar(calendar=calendar)


def calendar_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str = CalendarKind.WEEKLY,
    time_zone: str = "Asia/Shanghai",
    weekly: Mapping[int, Sequence[Sequence[int]]] | None = None,
    **fields: Any,
) -> BusinessCalendar:
    """Create a calendar; ``weekly`` maps weekday (0 = Monday) to [start, end] minute pairs."""
    _require_admin(actor)
    with transaction.atomic():
        calendar = audited_create(
            BusinessCalendar(code=code, name=name, kind=kind, time_zone=time_zone, **fields),
            actor=actor,
            fields=("code", "name", "name_en", "kind", "time_zone"),
        )
        if weekly:
            _write_weekly(calendar, weekly)
        return calendar


def _write_weekly(
    calendar: BusinessCalendar, weekly: Mapping[int, Sequence[Sequence[int]]]
) -> None:
    rows = []
    for weekday, windows in sorted(weekly.items()):
        if not 0 <= int(weekday) <= 6:
            raise ValidationFailed(_("Weekdays are 0 (Monday) to 6 (Sunday)."), field="weekly")
        for start, end in _check_windows(windows, "weekly"):
            rows.append(
                WorkingWindow(
                    calendar=calendar, weekday=int(weekday), start_minute=start, end_minute=end
                )
            )
    calendar.windows.all().delete()
    WorkingWindow.objects.bulk_create(rows)


def _weekly_of(calendar: BusinessCalendar) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for w in calendar.windows.all():
        result.setdefault(str(w.weekday), []).append(f"{hhmm(w.start_minute)}-{hhmm(w.end_minute)}")
    return result


def calendar_set_weekly(
    *, actor: Any, calendar: BusinessCalendar, weekly: Mapping[int, Sequence[Sequence[int]]]
) -> BusinessCalendar:
    """Replace the weekly hours; running clocks on the calendar are re-planned."""
    _require_admin(actor)
    with transaction.atomic():
        before = _weekly_of(calendar)
        _write_weekly(calendar, weekly)
        after = _weekly_of(calendar)
        if before != after:
            _bump(calendar, actor, "hours", {"weekly": [before, after]})
    return calendar


def calendar_set_exception(
    *,
    actor: Any,
    calendar: BusinessCalendar,
    date: dt.date,
    kind: str,
    windows: Sequence[Sequence[int]] = (),
    name: str = "",
    source: str = ExceptionSource.MANUAL,
    source_version: str = "",
) -> CalendarException:
    """Add or replace the exception of one date (an administrator's entry wins over official)."""
    _require_admin(actor)
    if kind not in ExceptionKind.values:
        raise ValidationFailed(_("Unknown exception kind."), field="kind")
    hours = [] if kind == ExceptionKind.HOLIDAY else _check_windows(windows, "windows")
    if kind == ExceptionKind.CUSTOM and not hours:
        raise ValidationFailed(_("Custom hours need at least one window."), field="windows")
    with transaction.atomic():
        existing = CalendarException.objects.filter(calendar=calendar, date=date).first()
        before = None if existing is None else [existing.kind, existing.windows, existing.source]
        exception, _created = CalendarException.objects.update_or_create(
            calendar=calendar,
            date=date,
            defaults={
                "kind": kind,
                "windows": hours,
                "name": name[:100],
                "source": source,
                "source_version": source_version,
            },
        )
        if before != [kind, hours, source]:
            _bump(calendar, actor, "exception", {date.isoformat(): [before, [kind, hours, source]]})
        return exception


def calendar_remove_exception(
    *, actor: Any, calendar: BusinessCalendar, date: dt.date
) -> BusinessCalendar:
    _require_admin(actor)
    with transaction.atomic():
        deleted, _rows = CalendarException.objects.filter(calendar=calendar, date=date).delete()
        if deleted:
            _bump(calendar, actor, "exception", {date.isoformat(): ["removed", None]})
    return calendar


def calendar_load_china_year(*, actor: Any, calendar: BusinessCalendar, year: int) -> CalendarYear:
    """Load one year of China's official holidays and make-up working days (调休).

    Dates an administrator entered by hand are kept. Raises ``ValidationFailed`` when the
    installed ``chinese-calendar`` package has no data for ``year`` (never guess a year).
    """
    from steward.sla.timemath import CalendarNotCovered
    from steward.sla.timemath.china import DayKind, official_year

    _require_admin(actor)
    if calendar.kind != CalendarKind.CHINA:
        raise ValidationFailed(_("Only a China calendar takes the official days."), field="kind")
    try:
        official = official_year(year)
    except CalendarNotCovered as exc:
        raise ValidationFailed(str(exc), field="year") from None
    with transaction.atomic():
        manual = set(
            calendar.exceptions.exclude(source=ExceptionSource.OFFICIAL).values_list(
                "date", flat=True
            )
        )
        calendar.exceptions.filter(source=ExceptionSource.OFFICIAL, date__year=year).delete()
        CalendarException.objects.bulk_create(
            [
                CalendarException(
                    calendar=calendar,
                    date=day.day,
                    name=day.name_zh,
                    source=ExceptionSource.OFFICIAL,
                    source_version=official.package_version,
                    kind=ExceptionKind.HOLIDAY
                    if day.kind is DayKind.HOLIDAY
                    else ExceptionKind.WORKING,
                )
                for day in official.days
                if day.day not in manual
            ]
        )
        loaded, _created = CalendarYear.objects.update_or_create(
            calendar=calendar,
            year=year,
            defaults={
                "source": ExceptionSource.OFFICIAL,
                "source_version": official.package_version,
            },
        )
        _bump(
            calendar,
            actor,
            "official_year",
            {"year": year, "days": len(official.days), "package": official.package_version},
        )
        return loaded


def calendar_confirm_year(*, actor: Any, calendar: BusinessCalendar, year: int) -> CalendarYear:
    """Declare a year covered by the company's own exceptions (no official data for it)."""
    _require_admin(actor)
    with transaction.atomic():
        confirmed, created = CalendarYear.objects.get_or_create(
            calendar=calendar,
            year=year,
            defaults={"source": ExceptionSource.MANUAL},
        )
        if created:
            _bump(calendar, actor, "confirm_year", {"year": year})
        return confirmed


def calendar_import_ics(
    *, actor: Any, calendar: BusinessCalendar, content: bytes, source_name: str = ""
) -> list[CalendarException]:
    """Import all-day events of an iCalendar file as holidays (each day of each event)."""
    from steward.sla.ics import holidays_from_ics

    _require_admin(actor)
    try:
        days = holidays_from_ics(content)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="file") from None
    if not days:
        raise ValidationFailed(_("The file has no all-day events."), field="file")
    with transaction.atomic():
        manual = set(
            calendar.exceptions.filter(source=ExceptionSource.MANUAL).values_list("date", flat=True)
        )
        created = []
        for day, name in sorted(days.items()):
            if day in manual:
                continue
            exception, _made = CalendarException.objects.update_or_create(
                calendar=calendar,
                date=day,
                defaults={
                    "kind": ExceptionKind.HOLIDAY,
                    "windows": [],
                    "name": name[:100],
                    "source": ExceptionSource.ICS,
                    "source_version": source_name[:40],
                },
            )
            created.append(exception)
        _bump(calendar, actor, "import_ics", {"days": len(created), "file": source_name})
        return created


def calendar_years_missing(calendar: BusinessCalendar, years: Iterable[int]) -> list[int]:
    """Which of ``years`` a China calendar does not know (nothing is missing for other kinds)."""
    if calendar.kind != CalendarKind.CHINA:
        return []
    known = {y.year for y in calendar.years.all()}
    return [year for year in years if year not in known]


def service_hours_set(*, actor: Any, service: Any, calendar: BusinessCalendar) -> ServiceHours:
    """Set the hours of service of a catalogue service (administrators, the service's owner)."""
    from steward.sla.permissions import can_manage_service_levels

    if actor is not None and not can_manage_service_levels(actor, service):
        raise NotPermitted(_("Only administrators and the service owner can change this."))
    with transaction.atomic():
        existing = ServiceHours.objects.filter(service=service).first()
        before = existing.calendar.code if existing else None
        hours, _created = ServiceHours.objects.update_or_create(
            service=service, defaults={"calendar": calendar}
        )
        if before != calendar.code:
            audit_record(
                actor=actor, obj=service, action="hours", changes={"hours": [before, calendar.code]}
            )
        return hours
