"""Bulk edits of the selected queue rows and the queue's saved views. Thin: forms parse,
the incident services write (one call per record), selectors read."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required, wants_partial
from steward.core.errors import DomainError
from steward.identity.selectors import team_list_for
from steward.incidents import selectors, selectors_major
from steward.incidents.forms_major import BulkForm, SavedViewForm
from steward.incidents.models import Incident, SavedView
from steward.incidents.services import bulk, saved_views

SORT_ORDER: dict[str, tuple[Any, ...]] = {
    "id": ("id",),
    "priority": ("priority", "-id"),
    "-updated_at": ("-updated_at", "-id"),
    "resolution_due_at": (F("resolution_due_at").asc(nulls_last=True), "-id"),
}
SORT_LABELS = [
    ("", gettext_lazy("Newest first")),
    ("id", gettext_lazy("Oldest first")),
    ("priority", gettext_lazy("Priority")),
    ("-updated_at", gettext_lazy("Recently updated")),
    ("resolution_due_at", gettext_lazy("Fix due soonest")),
]


def sorted_page(
    request: HttpRequest, found: QuerySet[Incident], size: int
) -> tuple[str, int, list[Incident], int | None]:
    """A page of the queue in a chosen order other than the default (newest first, paged by
    keyset): ``(sort, offset, rows, next offset)``; ``sort`` is empty for the default."""
    sort = request.GET.get("sort", "")
    if sort not in SORT_ORDER:
        return "", 0, [], None
    try:
        offset = max(0, int(request.GET.get("offset") or 0))
    except ValueError:
        offset = 0
    rows = list(found.order_by(*SORT_ORDER[sort])[offset : offset + size + 1])
    next_offset = offset + size if len(rows) > size else None
    return sort, offset, rows[:size], next_offset


def bulk_form(user: Any, data: Any = None) -> BulkForm:
    teams = [(t.pk, str(t)) for t in team_list_for(user=user)]
    return BulkForm(data, teams=teams, agents=selectors_major.agent_choices())


def view_querystring(view: SavedView) -> str:
    """The queue URL's query of a saved view."""
    return urlencode(view.filters, doseq=True)


def queue_views_context(request: HttpRequest) -> dict[str, Any]:
    """What the queue shows of saved views and bulk edits (for ``incident_queue``)."""
    found = selectors_major.saved_views_for(user=request.user)
    current = {
        k: request.GET.getlist(k) if k in ("status", "priority") else request.GET.get(k)
        for k in ("queue", "status", "priority", "q", "sort")
        if request.GET.get(k)
    }
    teams = [(t.pk, str(t)) for t in request.user.teams.all()]  # type: ignore[union-attr]
    return {
        "my_views": [(v, view_querystring(v)) for v in found["mine"]],
        "team_views": [(v, view_querystring(v)) for v in found["team"]],
        "view_form": SavedViewForm(teams=teams, initial={"filters": json.dumps(current)}),
        "bulk_form": bulk_form(request.user),
        "sorts": SORT_LABELS,
        "sort": request.GET.get("sort", ""),
    }


@staff_required
@require_POST
def incident_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one operation to the selected rows; show what happened to each."""
    form = bulk_form(request.user, request.POST)
    results: list[Any] = []
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            refs = selectors.references_resolve(team_id=d["team"], assignee_id=d["assignee"])
            results = bulk.incident_bulk_apply(
                actor=request.user,
                numbers=d["numbers"],
                operation=d["operation"],
                team=refs.get("team"),
                assignee=refs.get("assignee"),
                priority=d["priority"],
                reason=d["reason"],
                hold_reason=d["hold_reason"],
                note=d["note"],
            )
        except DomainError as exc:
            error = exc.message
    else:
        error = _("Select incidents and say what to do.")
    status = 422 if error else 200
    return render_page(
        request,
        "console/incidents/bulk_results.html",
        {
            "results": results,
            "error": error,
            "form": form,
            "done": sum(1 for r in results if r.done),
            "refused": sum(1 for r in results if not r.done),
        },
        partial="console/incidents/_bulk_results.html",
        section="incidents",
        status=status,
    )


def _view_input(request: HttpRequest) -> tuple[SavedViewForm, dict[str, Any]]:
    teams = [(t.pk, str(t)) for t in request.user.teams.all()]  # type: ignore[union-attr]
    form = SavedViewForm(request.POST, teams=teams)
    filters: dict[str, Any] = {}
    if request.POST.get("queue"):
        filters = {
            k: request.POST.getlist(k) if k in ("status", "priority") else request.POST.get(k)
            for k in ("queue", "status", "priority", "q", "sort")
            if request.POST.get(k)
        }
    elif form.is_valid():
        try:
            loaded = json.loads(form.cleaned_data["filters"] or "{}")
            filters = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            filters = {}
    return form, filters


@staff_required
@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    """Save the queue's current filters under a name."""
    form, filters = _view_input(request)
    if form.is_valid():
        try:
            team = selectors.references_resolve(team_id=form.cleaned_data["team"]).get("team")
            view = saved_views.saved_view_create(
                actor=request.user, name=form.cleaned_data["name"], filters=filters, team=team
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The view %(name)s was saved.") % {"name": view.name})
            url = f"{_queue_url()}?{view_querystring(view)}"
            if wants_partial(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    else:
        messages.error(request, _("Name the view."))
    return redirect(_queue_url())


@staff_required
@require_POST
def view_edit(request: HttpRequest, view_id: int) -> HttpResponse:
    """Rename or re-share one's own view (its filters stay)."""
    view = selectors_major.saved_view_get_for(user=request.user, view_id=view_id)
    form, _filters = _view_input(request)
    if form.is_valid():
        try:
            team = selectors.references_resolve(team_id=form.cleaned_data["team"]).get("team")
            saved_views.saved_view_update(
                actor=request.user,
                view=view,
                version=view.version,
                name=form.cleaned_data["name"],
                filters=view.filters,
                team=team,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The view was saved."))
    return redirect(_queue_url())


@staff_required
@require_POST
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = selectors_major.saved_view_get_for(user=request.user, view_id=view_id)
    try:
        saved_views.saved_view_delete(actor=request.user, view=view)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The view was deleted."))
    return redirect(_queue_url())


def _queue_url() -> str:
    from django.urls import reverse

    return reverse("console:incidents")
