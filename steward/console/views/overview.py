"""The landing page: who goes where, and the overview of what the user can reach."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from steward.console.access import render_page, staff_required
from steward.identity import permissions, selectors
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
    }, section="overview")
