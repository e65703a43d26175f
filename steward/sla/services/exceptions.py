"""Approved SLA exceptions: records or periods that do not count against an agreement.

- ``record``: the clocks of one record are excluded from the agreement's results.
- ``maintenance`` / ``force_majeure``: a clock that breached inside the approved period is
  excluded (it counts neither as met nor as breached). Clocks that breach inside the period
  later are excluded when they stop.
Excluded clocks keep their measured result; the reports leave them out and say so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import ValidationFailed
from steward.sla.models import Agreement, ClockState, SlaClock, SlaException
from steward.sla.services.agreements import _require_manager

WINDOW_KINDS = {"maintenance", "force_majeure"}


def sla_exception_create(
    *,
    actor: Any,
    agreement: Agreement,
    kind: str,
    reason: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    record_number: str = "",
) -> SlaException:
    """Approve an exception and exclude the clocks it covers. Returns the exception."""
    _require_manager(actor, agreement.service)
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the exception."), field="reason")
    if kind == "record":
        if not record_number:
            raise ValidationFailed(_("Name the record."), field="record_number")
    elif kind in WINDOW_KINDS:
        if starts_at is None or ends_at is None or ends_at <= starts_at:
            raise ValidationFailed(_("Give a period that ends after it starts."), field="ends_at")
    else:
        raise ValidationFailed(_("Unknown exception kind."), field="kind")
    with transaction.atomic():
        exception = SlaException.objects.create(
            agreement=agreement,
            kind=kind,
            reason=reason,
            starts_at=starts_at,
            ends_at=ends_at,
            record_number=record_number,
            approved_by=actor,
        )
        excluded = list(_covered(exception).values_list("pk", flat=True))
        SlaClock.objects.filter(pk__in=excluded).update(excluded=True)
        audit_record(
            actor=actor,
            obj=agreement,
            action="exception",
            changes={
                "kind": kind,
                "reason": reason,
                "record": record_number,
                "period": [starts_at, ends_at],
                "clocks_excluded": len(excluded),
            },
        )
        return exception


def _covered(exception: SlaException) -> Any:
    clocks = SlaClock.objects.filter(agreement=exception.agreement)
    if exception.kind == "record":
        return clocks.filter(record_number__iexact=exception.record_number)
    return clocks.filter(
        breached_at__gte=exception.starts_at, breached_at__lt=exception.ends_at
    ) | clocks.filter(
        state=ClockState.BREACHED,
        breached_at__isnull=True,
        stopped_at__gte=exception.starts_at,
        stopped_at__lt=exception.ends_at,
    )


def is_excused(clock: SlaClock) -> bool:
    """Does an approved exception cover this (just stopped) clock?"""
    exceptions = SlaException.objects.filter(agreement=clock.agreement_id)
    if exceptions.filter(kind="record", record_number__iexact=clock.record_number).exists():
        return True
    moment = clock.breached_at or (clock.stopped_at if clock.state == ClockState.BREACHED else None)
    if moment is None:
        return False
    return exceptions.filter(
        Q(kind__in=WINDOW_KINDS), starts_at__lte=moment, ends_at__gt=moment
    ).exists()
