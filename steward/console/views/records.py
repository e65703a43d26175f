"""Records of every registered type: search, the record page, its timeline and attachments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.audit.selectors import audit_entries_for_record
from steward.console.access import render_page, staff_required
from steward.console.forms import SearchForm
from steward.console.views.record_time import time_context
from steward.fulfilment.models import ServiceRequest
from steward.identity import permissions
from steward.incidents.models import Incident
from steward.sla.models import SlaClock
from steward.sla.selectors import ClockStatus, clock_status, clocks_for_record
from steward.sla.timemath import CalendarNotCovered
from steward.workitems import selectors
from steward.workitems import views as record_views
from steward.workitems.forms import AttachmentForm
from steward.workitems.models import WorkItem
from steward.workitems.registry import record_type_for_model

SEARCH_LIMIT = 50


@staff_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    found = selectors.record_search_for(user=request.user, query=query, limit=SEARCH_LIMIT)
    if len(found) == 1 and found[0].number.upper() == query.upper():
        return redirect("console:record", number=found[0].number)
    rows = [{"record": r, "label": _type_label(r)} for r in found]
    return render_page(request, "console/search.html", {
        "form": form, "results": rows, "searched": bool(query), "limit": SEARCH_LIMIT,
        "search_query": query,
    }, section="search")


def _type_label(record: WorkItem) -> Any:
    record_type = record_type_for_model(type(record))
    return record_type.label if record_type is not None else type(record)._meta.verbose_name


@dataclass(frozen=True)
class ClockRow:
    """A clock with its status now; ``status`` is None when the calendar cannot count the
    time up to now (a year it does not cover)."""

    clock: SlaClock
    status: ClockStatus | None
    low: int  # the agreement's first warning threshold (%)
    high: int  # its last one

    @property
    def meter_value(self) -> float:
        return min(100.0, self.status.percent) if self.status else 0.0


def _clock_rows(record: WorkItem) -> list[ClockRow]:
    rows = []
    for clock in clocks_for_record(record=record):
        try:
            status: ClockStatus | None = clock_status(clock)
        except CalendarNotCovered:
            status = None
        thresholds = sorted(int(p) for p in clock.agreement.warning_thresholds) or [75, 90]
        rows.append(ClockRow(clock, status, thresholds[0], thresholds[-1]))
    return rows


def _record_context(request: HttpRequest, record: WorkItem,
                    form: AttachmentForm | None = None) -> dict[str, Any]:
    meta = type(record)._meta
    return {
        "record": record,
        "record_type": {"label": _type_label(record)},
        "detail_templates": [f"{meta.app_label}/{meta.model_name}/_detail.html",
                             "records/_fields.html"],
        "attachments": selectors.attachments_for(record=record).select_related("uploaded_by"),
        "attachment_form": form or AttachmentForm(),
        "can_upload": permissions.can_write(request.user),
        "upload_url": reverse("console:record_attachments", args=[record.number]),
        "download_url_name": "console:attachment",
        "timeline_url": reverse("console:record_timeline", args=[record.number]),
        "entries": audit_entries_for_record(obj=record),
        "sla_panel": "console/_record_sla.html",
        "sla_clocks": _clock_rows(record),
        **time_context(request.user, record),
    }


@staff_required
def record(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_get_for(user=request.user, number=number)
    if isinstance(found, Incident):  # incidents have their own page with actions
        return redirect("console:incident", number=found.number)
    if isinstance(found, ServiceRequest):  # so do service requests
        return redirect("console:request", number=found.number)
    return render_page(request, "console/record.html", _record_context(request, found),
                       section="search")


@staff_required
def record_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """The timeline fragment (htmx refreshes it after a change); a plain visit gets the page."""
    return record_views.timeline_fragment(request, number, page="console:record")


@staff_required
@require_POST
def record_attachments(request: HttpRequest, number: str) -> HttpResponse:
    return record_views.attachment_upload(
        request, number, page="console:record", template="console/record.html", section="search",
        context=_record_context,
    )


@staff_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Stream a file whose record the user may see (404 otherwise)."""
    return record_views.attachment_download(request, attachment_id)
