"""The audit log API for administrators and auditors, and the chain verification.

It lives in identity because who may read the log is a question of roles; the audit app
below stays free of them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import CursorPagination, paginate

from steward.audit.schemas import AuditEntryOut, VerificationOut
from steward.audit.services import audit_verify
from steward.identity.selectors import audit_log_for, audit_log_require_reader

router = Router(tags=["audit"])


@router.get("/entries", response=list[AuditEntryOut], operation_id="audit_entries_list")
@paginate(CursorPagination, ordering=("-seq",))
def audit_entries_list(request: HttpRequest, action: str = "", object_type: str = "") -> Any:
    return audit_log_for(user=request.user, action=action, object_type=object_type)


@router.get("/verify", response=VerificationOut, operation_id="audit_verify")
def audit_verify_endpoint(request: HttpRequest) -> Any:
    audit_log_require_reader(user=request.user)
    result = audit_verify()
    finding = result.finding
    return {
        "ok": result.ok,
        "checked": result.checked,
        "first_bad_seq": finding.seq if finding else None,
        "kind": finding.kind if finding else None,
        "detail": finding.detail if finding else None,
    }
