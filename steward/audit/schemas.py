from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class AuditEntryOut(Schema):
    seq: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    source: str
    object_type: str
    object_id: str
    object_repr: str
    action: str
    changes: dict[str, Any]
    hash: str

    @staticmethod
    def resolve_object_type(obj: Any) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class VerificationOut(Schema):
    ok: bool
    checked: int
    first_bad_seq: int | None
    kind: str | None
    detail: str | None
