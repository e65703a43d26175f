"""Time logged on a record, in the console: the record page's time section (htmx), logging,
changing and deleting entries. Thin: ``time_selectors`` read, ``time_services`` write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required, wants_partial
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.workitems import selectors as records
from steward.workitems import time_permissions, time_selectors, time_services
from steward.workitems.forms_time import TimeEntryForm
from steward.workitems.models import WorkItem
from steward.workitems.registry import record_type_for_model

SECTION = "console/records/_time.html"


def record_page_url(record: WorkItem) -> str:
    record_type = record_type_for_model(type(record))
    if record_type is not None and record_type.prefix == "INC":
        return reverse("console:incident", args=[record.number])
    return reverse("console:record", args=[record.number])


def time_context(user: Any, record: WorkItem, form: TimeEntryForm | None = None) -> dict[str, Any]:
    """The time section of a record page: entries, totals and (for those who log) the form."""
    can_log = time_permissions.can_log_time(user)
    entries = list(time_selectors.time_entries_for(record=record))
    return {
        "record": record,
        "time_entries": entries,
        "time_totals": time_selectors.totals_of(entries),
        "time_form": (form or TimeEntryForm()) if can_log else None,
        "time_editable": {e.pk for e in entries
                          if time_permissions.can_correct_time_of(user, e.person_id)},
    }


@staff_required
def record_time(request: HttpRequest, number: str) -> HttpResponse:
    """GET: the time section (a plain visit goes to the record page); POST: log time."""
    record = records.record_get_for(user=request.user, number=number)
    if request.method != "POST":
        if not wants_partial(request):
            return redirect(record_page_url(record) + "#time")
        return render_page(request, SECTION, time_context(request.user, record), partial=SECTION)
    form = TimeEntryForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            time_services.time_entry_log(
                actor=request.user, record=record, minutes=data["minutes"],
                work_date=data["work_date"], activity=data["activity"], note=data["note"])
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 403 if isinstance(exc, NotPermitted) else 422
        else:
            if wants_partial(request):
                response = render_page(request, SECTION, time_context(request.user, record),
                                       partial=SECTION)
                response["HX-Trigger"] = "steward:timeline"
                return response
            messages.success(request, _("The time was logged."))
            return redirect(record_page_url(record) + "#time")
    return render_page(request, "console/records/time.html",
                       time_context(request.user, record, form), partial=SECTION,
                       section="incidents", status=status)


@staff_required
def time_entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = time_selectors.time_entry_get_for(user=request.user, entry_id=entry_id)
    record = records.record_get_for(user=request.user, number=entry.record_number)
    if not time_permissions.can_correct_time_of(request.user, entry.person_id):
        raise PermissionDenied
    initial = {"minutes": entry.minutes, "work_date": entry.work_date,
               "activity": entry.activity, "note": entry.note, "version": entry.version}
    form = TimeEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in ("minutes", "work_date", "activity", "note")
                   if data[k] is not None or k == "activity"}
        try:
            time_services.time_entry_update(actor=request.user, entry=entry,
                                            version=data["version"] or 0, changes=changes)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The time entry was saved."))
            return redirect(record_page_url(record) + "#time")
    status = 422 if request.method == "POST" else 200
    return render_page(request, "console/records/time_entry.html",
                       {"form": form, "entry": entry, "record": record,
                        "back": record_page_url(record)},
                       section="incidents", status=status)


@staff_required
@require_POST
def time_entry_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = time_selectors.time_entry_get_for(user=request.user, entry_id=entry_id)
    record = records.record_get_for(user=request.user, number=entry.record_number)
    try:
        time_services.time_entry_delete(actor=request.user, entry=entry)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    if wants_partial(request):
        response = render_page(request, SECTION, time_context(request.user, record),
                               partial=SECTION)
        response["HX-Trigger"] = "steward:timeline"
        return response
    messages.success(request, _("The time entry was deleted."))
    return redirect(record_page_url(record) + "#time")
