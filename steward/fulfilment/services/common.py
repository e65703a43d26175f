"""Steps every request service shares: lock, check, save with one audit entry, SLA hooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import InvalidTransition, NotPermitted
from steward.fulfilment.models import TRANSITIONS, ServiceRequest
from steward.sla.services import clocks_on_state_change

TRACKED = ("status", "team", "assignee", "approved_at", "fulfilled_at", "closed_at",
           "outcome_note")


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def lock(request: ServiceRequest) -> ServiceRequest:
    """Re-read the row under a lock serialising writers of this request."""
    locked: ServiceRequest = ServiceRequest.objects.select_for_update(no_key=True).get(
        pk=request.pk
    )
    return locked


def target_of(request: ServiceRequest, action: str) -> str:
    return TRANSITIONS.target(action, request.status)


def before_of(request: ServiceRequest) -> dict[str, Any]:
    return snapshot(request, TRACKED)


def save_audited(
    request: ServiceRequest,
    *,
    actor: Any,
    action: str,
    before: dict[str, Any],
    at: datetime,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Save what changed since ``before``, bump the version, record one audit entry."""
    changed: dict[str, Any] = diff(before, snapshot(request, TRACKED))
    request.version += 1
    request.updated_at = at
    request.save(update_fields=[*changed, "version", "updated_at"])
    changes = {**changed, **(extra or {})}
    audit_record(actor=actor, obj=request, action=action, changes=changes)
    return changes


def sla_follow_status(request: ServiceRequest, at: datetime) -> None:
    """Pause, resume, stop or cancel the clocks for the new status (and start any whose start
    condition it meets)."""
    clocks_on_state_change(
        record=request,
        state=request.status,
        at=at,
        service=request.service,
        priority=request.priority,
        department=request.department,
        site=request.site,
        team=request.team,
    )


def not_open(request: ServiceRequest) -> InvalidTransition:
    return InvalidTransition(
        _("%(number)s is %(status)s; it can no longer be changed.")
        % {"number": request.number, "status": request.get_status_display()}
    )
