"""Writing the audit trail. Every business service records its changes through ``audit_record``
inside its own transaction, so a change and its audit entry commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from steward.audit import chain
from steward.audit.context import current_source
from steward.audit.models import AuditEntry

# Serialises appends to the chain on PostgreSQL for the rest of the transaction. SQLite runs
# write transactions one at a time (IMMEDIATE mode), which gives the same guarantee.
_CHAIN_LOCK_KEY = 0x5354_4155_4454  # "STAUDT"


def to_json(value: Any) -> Any:
    """Turn a model field value into a stable JSON value for before/after records."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, float):
        return repr(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values of ``obj`` (foreign keys as ids) in JSON form."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = to_json(getattr(obj, attname))
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


_HEAD_SQL = (
    f"SELECT seq, hash FROM {AuditEntry._meta.db_table} ORDER BY seq DESC LIMIT 1"  # noqa: S608
)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


@dataclass
class _Head:
    """The last entry this transaction appended, while the transaction holds the chain lock.

    ``marker`` is an on-commit callback registered when the entry was written: Django drops
    it at commit, at rollback and when the savepoint it was registered in rolls back, so its
    presence in ``connection.run_on_commit`` says the entry is still part of the transaction.
    """

    seq: int
    hash: str
    marker: Any
    savepoints: frozenset[str]


def _forget_head() -> None:
    connection.steward_audit_head = None  # type: ignore[attr-defined]


def _valid_head() -> _Head | None:
    head: _Head | None = getattr(connection, "steward_audit_head", None)
    if head is None or not connection.in_atomic_block:
        return None
    if any(item[1] is head.marker for item in reversed(connection.run_on_commit)):
        return head
    return None


def _chain_head() -> tuple[int, str]:
    """The chain's last ``(seq, hash)``, holding the chain lock until the transaction ends.

    A transaction that appended already holds the lock and knows its head, so it reads
    nothing; otherwise the lock is taken and the last entry read.
    """
    head = _valid_head()
    if head is not None:
        return head.seq, head.hash
    _lock_chain()
    # Plain SQL: this runs for every audited write, and the ORM would build the same query
    # every time (the index on seq answers it with one row).
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_SQL)
        last = cursor.fetchone()
    return (int(last[0]), str(last[1])) if last else (0, chain.GENESIS)


def _remember_head(seq: int, digest: str) -> None:
    if not connection.in_atomic_block:
        return
    savepoints = frozenset(connection.savepoint_ids)
    head = _valid_head()
    if head is not None and head.savepoints == savepoints:
        head.seq, head.hash = seq, digest
        return
    marker = partial(_forget_head)  # a new object each time: it identifies this registration
    transaction.on_commit(marker)
    connection.steward_audit_head = _Head(seq, digest, marker, savepoints)  # type: ignore[attr-defined]


def audit_record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    source: str | None = None,
) -> AuditEntry:
    """Append one entry for ``obj`` to the chain, in the caller's transaction.

    ``actor`` is a person or None (the system). ``changes`` is ``{field: [before, after]}``
    for updates, or the created values for ``create``.
    """
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _chain_head()
        seq += 1
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        occurred_at = timezone.now().astimezone(dt.UTC)
        actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        clean_changes = to_json(changes or {})
        src = source or current_source()
        digest = chain.entry_digest(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            source=src,
            content_type=f"{content_type.app_label}.{content_type.model}",
            object_id=str(obj.pk),
            action=action,
            changes=clean_changes,
            prev_hash=prev_hash,
        )
        entry = AuditEntry(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=str(actor) if actor_id else "system",
            source=src,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action=action,
            changes=clean_changes,
            prev_hash=prev_hash,
            hash=digest,
        )
        entry.save(force_insert=True)
        _remember_head(seq, digest)
        return entry


@dataclass(frozen=True)
class AuditDraft:
    """One entry for ``audit_record_many``: a change that happened at ``occurred_at``."""

    occurred_at: dt.datetime
    actor_id: int | None
    actor_label: str
    content_type: ContentType
    object_id: str
    object_repr: str
    action: str
    changes: dict[str, Any]


def audit_record_many(drafts: Iterable[AuditDraft], *, source: str | None = None) -> int:
    """Append many entries to the chain in one go, in the given order (bulk history imports,
    such as the demo's two years of incidents); return how many. Same chain and lock as
    ``audit_record``; the caller's transaction holds the lock until it commits."""
    src = source or current_source()
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _chain_head()
        batch: list[AuditEntry] = []
        count = 0
        for draft in drafts:
            seq += 1
            clean_changes = to_json(draft.changes)
            occurred_at = draft.occurred_at.astimezone(dt.UTC)
            ct = draft.content_type
            digest = chain.entry_digest(
                seq=seq,
                occurred_at=occurred_at,
                actor_id=draft.actor_id,
                source=src,
                content_type=f"{ct.app_label}.{ct.model}",
                object_id=draft.object_id,
                action=draft.action,
                changes=clean_changes,
                prev_hash=prev_hash,
            )
            batch.append(
                AuditEntry(
                    seq=seq,
                    occurred_at=occurred_at,
                    actor_id=draft.actor_id,
                    actor_label=draft.actor_label if draft.actor_id else "system",
                    source=src,
                    content_type=ct,
                    object_id=draft.object_id,
                    object_repr=draft.object_repr[:200],
                    action=draft.action,
                    changes=clean_changes,
                    prev_hash=prev_hash,
                    hash=digest,
                )
            )
            prev_hash = digest
            count += 1
            if len(batch) >= 2000:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
        if count:
            _remember_head(seq, prev_hash)
        return count


def audit_verify(*, batch: int = 5000) -> chain.Verification:
    """Recompute the whole chain and report the first altered, inserted or missing entry."""
    labels = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}

    def links() -> Iterable[chain.Link]:
        last_seq = 0
        while True:
            rows = list(
                AuditEntry.objects.filter(seq__gt=last_seq)
                .order_by("seq")
                .values(
                    "seq",
                    "occurred_at",
                    "actor_id",
                    "source",
                    "content_type_id",
                    "object_id",
                    "action",
                    "changes",
                    "prev_hash",
                    "hash",
                )[:batch]
            )
            if not rows:
                return
            for row in rows:
                yield chain.Link(
                    seq=row["seq"],
                    occurred_at=row["occurred_at"].astimezone(dt.UTC),
                    actor_id=row["actor_id"],
                    source=row["source"],
                    content_type=labels.get(row["content_type_id"], "?"),
                    object_id=row["object_id"],
                    action=row["action"],
                    changes=row["changes"],
                    prev_hash=row["prev_hash"],
                    hash=row["hash"],
                )
            last_seq = rows[-1]["seq"]

    return chain.verify(links())
