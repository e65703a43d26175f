"""Rows as the outbox: work that must not be lost is a row written in the business transaction.

A concrete outbox model (an outbound notification, a due SLA check, an alert to process)
inherits ``OutboxItem``. Jobs receive row ids and go through ``claim`` → work → ``complete``
or ``retry_later``:

- ``claim`` is one conditional UPDATE, so of several workers holding the same id exactly one
  wins; the winner holds a lease (``STEWARD_OUTBOX_LEASE_SECONDS``).
- A worker killed mid-job leaves its row ``processing`` with a lease that runs out; the periodic
  sweep (``due_ids``) finds such rows, and rows whose enqueue was lost, and enqueues them again.
- ``complete`` and ``retry_later`` only touch a row still held under the caller's claim token,
  so a worker whose lease was taken over cannot overwrite the new holder's result.

See docs/adr/0002-huey-with-database-rows-as-outbox.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "pending"
    PROCESSING = "processing", "processing"
    DONE = "done", "done"
    FAILED = "failed", "failed"


class OutboxItem(models.Model):
    """Abstract outbox row: status, attempts, back-off schedule and the lease of its claimer."""

    status = models.CharField(
        max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


M = TypeVar("M", bound=OutboxItem)


def _claimable(now: datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.PROCESSING, lease_until__lt=now
    )


def claim(model: type[M], pk: int, *, lease_seconds: int | None = None) -> uuid.UUID | None:
    """Try to take row ``pk`` for processing; return the claim token, or None if not ours."""
    now = timezone.now()
    lease = lease_seconds if lease_seconds is not None else settings.STEWARD_OUTBOX_LEASE_SECONDS
    token = uuid.uuid4()
    taken = model._default_manager.filter(_claimable(now), pk=pk).update(
        status=OutboxStatus.PROCESSING,
        lease_until=now + timedelta(seconds=lease),
        claim_token=token,
        attempts=models.F("attempts") + 1,
    )
    return token if taken == 1 else None


def complete(model: type[M], pk: int, token: uuid.UUID, **fields: object) -> bool:
    """Mark the claimed row done (with any extra ``fields``); False if the claim was lost."""
    return (
        model._default_manager.filter(
            pk=pk, claim_token=token, status=OutboxStatus.PROCESSING
        ).update(status=OutboxStatus.DONE, processed_at=timezone.now(), lease_until=None, **fields)
        == 1
    )


def backoff_seconds(attempts: int) -> int:
    """Exponential back-off: 30 s, 60 s, 120 s, ... capped at one hour."""
    return int(min(3600, 30 * 2 ** max(0, attempts - 1)))


def retry_later(model: type[M], pk: int, token: uuid.UUID, error: str) -> str:
    """Record a failed attempt; schedule a retry, or give up after the maximum attempts.

    Returns the new status, or "lost" when the caller no longer holds the row.
    """
    held = model._default_manager.filter(pk=pk, claim_token=token, status=OutboxStatus.PROCESSING)
    row = held.only("attempts").first()
    if row is None:
        return "lost"
    now = timezone.now()
    final = row.attempts >= settings.STEWARD_OUTBOX_MAX_ATTEMPTS
    status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
    updated = held.update(
        status=status,
        last_error=error[:4000],
        lease_until=None,
        next_attempt_at=now + timedelta(seconds=backoff_seconds(row.attempts)),
        processed_at=now if final else None,
    )
    return str(status) if updated == 1 else "lost"


def fail(model: type[M], pk: int, token: uuid.UUID, error: str, **fields: object) -> bool:
    """Give up on the claimed row at once (a permanent error); False if the claim was lost."""
    return (
        model._default_manager.filter(
            pk=pk, claim_token=token, status=OutboxStatus.PROCESSING
        ).update(
            status=OutboxStatus.FAILED,
            last_error=error[:4000],
            lease_until=None,
            processed_at=timezone.now(),
            **fields,
        )
        == 1
    )


def _give_up_on_dead_leases(model: type[M]) -> int:
    """Rows whose worker died on every attempt are failed instead of being retried forever."""
    return model._default_manager.filter(
        status=OutboxStatus.PROCESSING,
        lease_until__lt=timezone.now(),
        attempts__gte=settings.STEWARD_OUTBOX_MAX_ATTEMPTS,
    ).update(
        status=OutboxStatus.FAILED,
        lease_until=None,
        processed_at=timezone.now(),
        last_error="the worker stopped during every attempt (lease expired)",
    )


def due_ids(model: type[M], *, limit: int = 500) -> list[int]:
    """Ids of rows the sweep should enqueue: pending and due, or whose lease ran out."""
    return list(
        model._default_manager.filter(_claimable(timezone.now()))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# The sweep enqueues due rows of every registered outbox with its job.
_registry: dict[type[OutboxItem], Callable[[int], object]] = {}


def register(model: type[M], enqueue: Callable[[int], object]) -> None:
    """Register the job that processes rows of ``model`` (called from AppConfig.ready)."""
    _registry[model] = enqueue


def sweep(*, limit: int = 500) -> dict[str, int]:
    """Enqueue every due row of every registered outbox; return counts by model label."""
    counts: dict[str, int] = {}
    for model, enqueue in _registry.items():
        _give_up_on_dead_leases(model)
        ids = due_ids(model, limit=limit)
        for pk in ids:
            enqueue(pk)
        counts[model._meta.label] = len(ids)
    return counts


def backlog() -> dict[str, int]:
    """Pending or in-flight rows per registered outbox (for /metrics and /readyz)."""
    return {
        model._meta.label: model._default_manager.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.PROCESSING]
        ).count()
        for model in _registry
    }
