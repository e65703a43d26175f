"""Business calendars: the list, a calendar's page (hours, exceptions, covered years, warnings)
and the administrators' actions, each through ``steward.sla.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity import permissions
from steward.sla import selectors, services
from steward.sla.forms import CalendarExceptionForm, CalendarIcsForm, CalendarYearForm
from steward.sla.models import BusinessCalendar, CalendarKind, WorkingWindow
from steward.sla.services.calendars import calendar_years_missing
from steward.sla.timemath.china import official_years, package_version
from steward.sla.timemath.errors import describe_years

WEEKDAYS = list(WorkingWindow._meta.get_field("weekday").choices or [])


def _years_to_check() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year, this_year + 1]


@dataclass(frozen=True)
class CalendarRow:
    calendar: BusinessCalendar
    years: list[int]
    missing: list[int]


@staff_required
def calendars(request: HttpRequest) -> HttpResponse:
    rows = [
        CalendarRow(c, sorted(y.year for y in c.years.all()),
                    calendar_years_missing(c, _years_to_check()))
        for c in selectors.calendar_list_for(user=request.user).order_by("code")
    ]
    return render_page(request, "console/calendars.html", {"rows": rows}, section="service_levels")


@dataclass(frozen=True)
class Forms:
    exception: CalendarExceptionForm
    official: CalendarYearForm
    confirm: CalendarYearForm
    ics: CalendarIcsForm


def _forms(bound: dict[str, forms.Form]) -> Forms:
    next_year = timezone.localdate().year + 1
    made: dict[str, Any] = {
        "exception": CalendarExceptionForm(prefix="exception"),
        "official": CalendarYearForm(prefix="official", initial={"year": next_year}),
        "confirm": CalendarYearForm(prefix="confirm", initial={"year": next_year}),
        "ics": CalendarIcsForm(prefix="ics"),
    }
    made.update(bound)
    return Forms(**made)


def _shown_year(request: HttpRequest) -> int:
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and 2000 <= int(wanted) <= 2100:
        return int(wanted)
    return timezone.localdate().year


def _calendar_page(request: HttpRequest, calendar: BusinessCalendar, *, status: int = 200,
                   bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    """The calendar's page; ``bound`` holds a submitted form (by name) to show with its errors."""
    year = _shown_year(request)
    windows: dict[int, list[WorkingWindow]] = {}
    for window in calendar.windows.all():
        windows.setdefault(window.weekday, []).append(window)
    exception_years = {d.year for d in calendar.exceptions.dates("date", "year")}
    covered = list(calendar.years.all())
    unloaded = sorted(y for y in official_years() if y not in {c.year for c in covered})
    return render_page(request, "console/calendar.html", {
        "calendar": calendar,
        "is_china": calendar.kind == CalendarKind.CHINA,
        "is_always": calendar.kind == CalendarKind.ALWAYS,
        "week": [(label, windows.get(day, [])) for day, label in WEEKDAYS],
        "year": year,
        "year_choices": sorted(exception_years | {year, *_years_to_check()}),
        "exceptions": calendar.exceptions.filter(date__year=year).order_by("date"),
        "covered_years": covered,
        "missing_years": calendar_years_missing(calendar, _years_to_check()),
        "official_years": describe_years(unloaded) if unloaded else "",
        "package_version": package_version(),
        "forms": _forms(bound or {}),
        "can_manage": permissions.is_admin(request.user),
    }, section="service_levels", status=status)


@staff_required
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    return _calendar_page(request, selectors.calendar_get_for(user=request.user, code=code))


def _status(error: DomainError) -> int:
    return 403 if isinstance(error, NotPermitted) else 422


def _calendar_action(
    request: HttpRequest, code: str, *, name: str, form: forms.Form,
    act: Callable[[BusinessCalendar, dict[str, Any]], Any], done: str,
    year_of: Callable[[dict[str, Any]], int | None] = lambda data: None,
) -> HttpResponse:
    """Validate ``form``, run ``act`` (one service call) and redirect; errors come back as
    form errors on the calendar page with status 422 (403 when not permitted)."""
    found = selectors.calendar_get_for(user=request.user, code=code)
    if not form.is_valid():
        return _calendar_page(request, found, status=422, bound={name: form})
    try:
        act(found, form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _calendar_page(request, found, status=_status(exc), bound={name: form})
    messages.success(request, done)
    url = reverse("console:calendar", args=[found.code])
    year = year_of(form.cleaned_data)
    return redirect(f"{url}?year={year}#exceptions" if year else url)


@staff_required
@require_POST
def calendar_exception(request: HttpRequest, code: str) -> HttpResponse:
    def act(found: BusinessCalendar, data: dict[str, Any]) -> Any:
        return services.calendar_set_exception(
            actor=request.user, calendar=found, date=data["date"], kind=data["kind"],
            windows=data["windows"], name=data["name"],
        )

    return _calendar_action(
        request, code, name="exception", act=act, done=_("The exception was saved."),
        form=CalendarExceptionForm(request.POST, prefix="exception"),
        year_of=lambda data: data["date"].year,
    )


@staff_required
@require_POST
def calendar_exception_remove(request: HttpRequest, code: str, day: str) -> HttpResponse:
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    found = selectors.calendar_get_for(user=request.user, code=code)
    services.calendar_remove_exception(actor=request.user, calendar=found, date=date)
    messages.success(request, _("The exception of %(date)s was removed.") % {"date": day})
    return redirect(f"{reverse('console:calendar', args=[found.code])}?year={date.year}#exceptions")


@staff_required
@require_POST
def calendar_load_year(request: HttpRequest, code: str) -> HttpResponse:
    return _calendar_action(
        request, code, name="official",
        act=lambda found, data: services.calendar_load_china_year(
            actor=request.user, calendar=found, year=data["year"]),
        done=_("The official days were loaded."),
        form=CalendarYearForm(request.POST, prefix="official"),
        year_of=lambda data: data["year"],
    )


@staff_required
@require_POST
def calendar_confirm_year(request: HttpRequest, code: str) -> HttpResponse:
    return _calendar_action(
        request, code, name="confirm",
        act=lambda found, data: services.calendar_confirm_year(
            actor=request.user, calendar=found, year=data["year"]),
        done=_("The year is confirmed as covered."),
        form=CalendarYearForm(request.POST, prefix="confirm"),
        year_of=lambda data: data["year"],
    )


@staff_required
@require_POST
def calendar_import_ics(request: HttpRequest, code: str) -> HttpResponse:
    def act(found: BusinessCalendar, data: dict[str, Any]) -> Any:
        upload = data["file"]
        created = services.calendar_import_ics(
            actor=request.user, calendar=found, content=upload.read(),
            source_name=upload.name or "",
        )
        messages.info(request, _("%(n)d days were imported.") % {"n": len(created)})
        return created

    return _calendar_action(
        request, code, name="ics", act=act, done=_("The file was imported."),
        form=CalendarIcsForm(request.POST, request.FILES, prefix="ics"),
    )
