"""The landing page: who goes where, and the overview of what the user can reach."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from steward.console.access import render_page, staff_required
from steward.identity import permissions, selectors
from steward.sla.models import BusinessCalendar, CalendarKind
from steward.sla.selectors import calendar_list_for
from steward.sla.services.calendars import calendar_years_missing
from steward.workitems.registry import record_types
from steward.workitems.selectors import record_list_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the console, requesters on the portal."""
    if permissions.is_staff_member(request.user):
        return redirect("console:overview")
    return redirect("portal:home")


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    record_counts = [
        (record_type.label, record_list_for(user=user, record_type=record_type).count())
        for record_type in record_types()
    ]
    return render_page(request, "console/home.html", {
        "people_count": selectors.person_list_for(user=user).count(),
        "team_count": selectors.team_list_for(user=user).count(),
        "site_count": selectors.site_list_for(user=user).count(),
        "record_counts": record_counts,
        "records_total": sum(count for _, count in record_counts),
        "calendar_warnings": _calendar_warnings(user),
    }, section="overview")


def _calendar_warnings(user: Any) -> list[tuple[BusinessCalendar, list[int]]]:
    """China calendars that do not know this year or the next (as ``steward check`` warns)."""
    this_year = timezone.localdate().year
    found = []
    for calendar in calendar_list_for(user=user).filter(kind=CalendarKind.CHINA):
        missing = calendar_years_missing(calendar, [this_year, this_year + 1])
        if missing:
            found.append((calendar, missing))
    return found
