"""The audit log for administrators and auditors, and the chain verification."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import CursorPagination, paginate

from steward.audit.models import AuditEntry
from steward.audit.schemas import AuditEntryOut, VerificationOut
from steward.audit.services import audit_verify
from steward.core.errors import NotFound
from steward.identity import permissions

router = Router(tags=["audit"])


def _require_audit_reader(request: HttpRequest) -> None:
    # The global log is invisible (404) to anyone but auditors and administrators.
    if not permissions.can_view_audit_log(request.user):
        raise NotFound(_("Not found."))


@router.get("/entries", response=list[AuditEntryOut], operation_id="audit_entries_list")
@paginate(CursorPagination, ordering=("-seq",))
def audit_entries_list(request: HttpRequest, action: str = "", object_type: str = "") -> Any:
    _require_audit_reader(request)
    entries = AuditEntry.objects.select_related("content_type")
    if action:
        entries = entries.filter(action=action)
    if object_type and "." in object_type:
        app_label, model = object_type.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    return entries


@router.get("/verify", response=VerificationOut, operation_id="audit_verify")
def audit_verify_endpoint(request: HttpRequest) -> Any:
    _require_audit_reader(request)
    result = audit_verify()
    finding = result.finding
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_bad_seq": finding.seq if finding else None,
        "kind": finding.kind if finding else None,
        "detail": finding.detail if finding else None,
    }
