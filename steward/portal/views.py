"""Portal pages for requesters (mobile-first): home, my tickets, a ticket's page."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from steward.audit.selectors import audit_entries_for_record
from steward.catalogue.selectors import popular_items_for
from steward.fulfilment import selectors as request_selectors
from steward.fulfilment.models import ServiceRequest
from steward.identity import permissions
from steward.incidents import selectors as incident_selectors
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.models import Incident
from steward.portal import incidents, requests
from steward.portal.access import render_page, signed_in
from steward.sla.models import AgreementKind
from steward.sla.selectors import clocks_for_record
from steward.workitems import selectors
from steward.workitems import views as record_views
from steward.workitems.forms import AttachmentForm
from steward.workitems.models import WorkItem
from steward.workitems.registry import record_type_for_model, record_types

RECENT = 5
POPULAR = 3
PAGE_SIZE = 20


def _type_label(record: WorkItem) -> Any:
    record_type = record_type_for_model(type(record))
    return record_type.label if record_type is not None else type(record)._meta.verbose_name


def _raised_by(user: Any, *, count: int) -> list[WorkItem]:
    """The newest ``count`` records ``user`` raised, over every registered type.

    Each type's list goes through the visibility rule first (``record_list_for``).
    """
    found: list[WorkItem] = []
    for record_type in record_types():
        if record_type.model is Incident:
            # The incident selector also brings the promised resolution time of each row.
            mine = incident_selectors.incident_list_for(
                user=user, filters=IncidentFilters(queue=IncidentQueue.RAISED_BY_ME))
        else:
            mine = selectors.record_list_for(user=user, record_type=record_type).filter(
                requester=user)
        found.extend(mine.order_by("-opened_at", "-pk")[:count])
    found.sort(key=lambda r: r.opened_at, reverse=True)
    return found[:count]


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    recent = _raised_by(request.user, count=RECENT + 1)
    return render_page(request, "portal/home.html", {
        "recent": [{"record": r, "label": _type_label(r)} for r in recent[:RECENT]],
        "has_more": len(recent) > RECENT,
        "popular": popular_items_for(user=request.user, limit=POPULAR),
        "pending_approvals": request_selectors.approvals_pending_for(user=request.user).count(),
    }, section="home")


@signed_in
def records(request: HttpRequest) -> HttpResponse:
    page_param = request.GET.get("page", "1")
    page = min(max(int(page_param), 1), 500) if page_param.isdigit() else 1
    found = _raised_by(request.user, count=page * PAGE_SIZE + 1)
    shown = found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render_page(request, "portal/records.html", {
        "records": [{"record": r, "label": _type_label(r)} for r in shown],
        "page": page, "has_more": len(found) > page * PAGE_SIZE,
    }, section="records")


def _record_context(request: HttpRequest, record: WorkItem,
                    form: AttachmentForm | None = None) -> dict[str, Any]:
    meta = type(record)._meta
    return {
        "record": record,
        "record_type": {"label": _type_label(record)},
        "detail_templates": [f"{meta.app_label}/{meta.model_name}/_portal_detail.html",
                             "records/_fields.html"],
        "attachments": selectors.attachments_for(record=record).select_related("uploaded_by"),
        "attachment_form": form or AttachmentForm(),
        "can_upload": permissions.can_write(request.user),
        "upload_url": reverse("portal:record_attachments", args=[record.number]),
        "download_url_name": "portal:attachment",
        "timeline_url": reverse("portal:record_timeline", args=[record.number]),
        "entries": audit_entries_for_record(obj=record),
        # The customer's promise only: operational agreements and contracts are internal.
        "sla_panel": "portal/_record_sla.html",
        "sla_clocks": [
            c for c in clocks_for_record(record=record) if c.agreement.kind == AgreementKind.SLA
        ],
    }


@signed_in
def record(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_get_for(user=request.user, number=number)
    if isinstance(found, Incident):
        return incidents.incident_page(
            request, incident_selectors.incident_get_for(user=request.user, number=number))
    if isinstance(found, ServiceRequest):
        return requests.request_page(
            request, request_selectors.request_get_for(user=request.user, number=number))
    return render_page(request, "portal/record.html", _record_context(request, found),
                       section="records")


@signed_in
def record_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """The timeline fragment (htmx refreshes it after a change); a plain visit gets the page."""
    return record_views.timeline_fragment(request, number, page="portal:record")


@signed_in
@require_POST
def record_attachments(request: HttpRequest, number: str) -> HttpResponse:
    return record_views.attachment_upload(
        request, number, page="portal:record", template="portal/record.html", section="records",
        context=_record_context,
    )


@signed_in
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Stream a file whose record the user may see (404 otherwise)."""
    return record_views.attachment_download(request, attachment_id)
