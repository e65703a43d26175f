"""Console pages for agents, managers, auditors and administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from steward.identity import permissions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the console, requesters on the portal."""
    if not permissions.is_staff_member(request.user):
        return redirect("portal:home")
    return render(request, "console/home.html")
