"""Portal pages for requesters (mobile-first): home, my tickets, a ticket's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.audit.selectors import audit_entries_for_record
from steward.catalogue.selectors import popular_items_for
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity import permissions
from steward.incidents import selectors as incident_selectors
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.models import Incident
from steward.portal import incidents
from steward.portal.access import render_page, signed_in, wants_partial
from steward.portal.forms import AttachmentForm
from steward.sla.models import AgreementKind
from steward.sla.selectors import clocks_for_record
from steward.workitems import selectors, services
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
    return render_page(request, "portal/record.html", _record_context(request, found),
                       section="records")


@signed_in
def record_timeline(request: HttpRequest, number: str) -> HttpResponse:
    """The timeline fragment (htmx refreshes it after a change); a plain visit gets the page."""
    found = selectors.record_get_for(user=request.user, number=number)
    if not wants_partial(request):
        return redirect(reverse("portal:record", args=[found.number]) + "#timeline")
    return render_page(request, "records/_timeline.html", {
        "record": found, "entries": audit_entries_for_record(obj=found),
    }, partial="records/_timeline.html")


@signed_in
@require_POST
def record_attachments(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_get_for(user=request.user, number=number)
    form = AttachmentForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, record=found,
                                    upload=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 403 if isinstance(exc, NotPermitted) else 422
        else:
            if wants_partial(request):
                response = render_page(request, "portal/record.html",
                                       _record_context(request, found),
                                       partial="records/_attachments.html")
                response["HX-Trigger"] = "steward:timeline"
                return response
            messages.success(request, _("The file was attached."))
            return redirect("portal:record", number=found.number)
    return render_page(request, "portal/record.html", _record_context(request, found, form),
                       partial="records/_attachments.html", section="records", status=status)


@signed_in
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Stream a file whose record the user may see (404 otherwise)."""
    found = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename,
                        content_type=found.media_type)
