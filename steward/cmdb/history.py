"""Writing the field-level CI history (``CiChange``), used by every CMDB service.

Rows are written after the service's ``audit_record`` call and under a transaction lock on
PostgreSQL (SQLite runs one write transaction at a time), so their ids become visible in
commit order: ``cmdb.index`` relies on that to follow the graph from the history. Lock order
is always the audit chain's lock first (``audit_record``), then this one (``record``):
nothing in the CMDB takes this lock before writing its audit entry.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from steward.audit.context import current_source
from steward.audit.services import to_json
from steward.cmdb import index
from steward.cmdb.models import CiChange, ConfigurationItem, Relation

_LOCK_KEY = 0x5354_434D_4442  # "STCMDB"


def lock() -> None:
    """Serialise CMDB history writers until commit (PostgreSQL; SQLite already does)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def clean_change_number(change_number: str | None) -> str | None:
    text = (change_number or "").strip().upper()
    return text or None


def record(
    *,
    ci: ConfigurationItem,
    action: str,
    changes: dict[str, list[Any]],
    actor: Any,
    change_number: str | None,
    other_ci: ConfigurationItem | None = None,
    relation: Relation | None = None,
) -> list[CiChange]:
    """One row per changed field (``{field: [before, after]}``), sharing one operation id.

    Unauthorised when no change record is named and the CI's class (or the other end's,
    for a relation) is under change control.
    """
    if not changes:
        return []
    lock()
    number = clean_change_number(change_number)
    controlled = ci.ci_class.under_change_control or (
        other_ci is not None and other_ci.ci_class.under_change_control
    )
    operation = uuid.uuid4()
    now = timezone.now()
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    rows = [
        CiChange(
            ci=ci,
            other_ci=other_ci,
            relation=relation,
            operation=operation,
            action=action,
            field=name,
            before=to_json(before),
            after=to_json(after),
            changed_at=now,
            actor_id=actor_id,
            source=current_source(),
            change_number=number,
            unauthorised=controlled and number is None,
        )
        for name, (before, after) in sorted(changes.items())
    ]
    created = CiChange.objects.bulk_create(rows)
    index.mark_stale()
    return created
