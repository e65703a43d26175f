"""Generic record endpoints over every registered ticket type: look-up by number, search,
timeline, attachments and CSV export. All go through the one visibility rule."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from steward.audit.schemas import AuditEntryOut
from steward.audit.selectors import audit_entries_for_record
from steward.core.errors import NotFound
from steward.workitems import selectors, services
from steward.workitems.registry import record_types
from steward.workitems.schemas import AttachmentOut, RecordOut

router = Router(tags=["records"])


@router.get("/search", response=list[RecordOut], operation_id="records_search")
def records_search(request: HttpRequest, q: str, limit: int = 20) -> Any:
    return selectors.record_search_for(user=request.user, query=q, limit=min(max(limit, 1), 100))


@router.get("/export/{prefix}.csv", operation_id="records_export", response={200: None})
def records_export(request: HttpRequest, prefix: str) -> Any:
    record_type = next((t for t in record_types() if t.prefix == prefix.upper()), None)
    if record_type is None:
        raise NotFound(_("Unknown record type."))
    response = StreamingHttpResponse(
        selectors.record_export_csv_for(user=request.user, record_type=record_type),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{record_type.prefix.lower()}.csv"'
    return response


@router.get(
    "/attachments/{attachment_id}", operation_id="attachments_download", response={200: None}
)
def attachments_download(request: HttpRequest, attachment_id: int) -> Any:
    attachment = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.media_type,
    )


@router.get("/{number}", response=RecordOut, operation_id="records_get")
def records_get(request: HttpRequest, number: str) -> Any:
    return selectors.record_get_for(user=request.user, number=number)


@router.get("/{number}/timeline", response=list[AuditEntryOut], operation_id="records_timeline")
def records_timeline(request: HttpRequest, number: str) -> Any:
    record = selectors.record_get_for(user=request.user, number=number)
    return audit_entries_for_record(obj=record).select_related("content_type")


@router.get(
    "/{number}/attachments", response=list[AttachmentOut], operation_id="records_attachments_list"
)
def records_attachments_list(request: HttpRequest, number: str) -> Any:
    record = selectors.record_get_for(user=request.user, number=number)
    return selectors.attachments_for(record=record)


@router.post(
    "/{number}/attachments", response={201: AttachmentOut}, operation_id="records_attachments_add"
)
def records_attachments_add(request: HttpRequest, number: str, file: File[UploadedFile]) -> Any:
    record = selectors.record_get_for(user=request.user, number=number)
    return Status(201, services.attachment_add(actor=request.user, record=record, upload=file))
