"""Steps every incident service shares: lock, check, save with one audit entry, SLA hooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import Conflict, NotPermitted
from steward.incidents.models import TRANSITIONS, Incident
from steward.sla.models import ClockState
from steward.sla.selectors import clocks_for_record
from steward.sla.services import clocks_on_state_change

# The fields whose before/after every action's audit entry records (when they change).
TRACKED = (
    "status",
    "hold_reason",
    "team",
    "assignee",
    "impact",
    "urgency",
    "priority",
    "first_responded_at",
    "resolved_at",
    "closed_at",
    "resolution_code",
    "resolution_note",
    "reopen_count",
    "reassignment_count",
)
# The SLA condition an agent's first public reply signals. It is not a status: agreements may
# list it among a first-response metric's stop states (docs/processes/incidents.md).
RESPONDED = "responded"


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def lock(incident: Incident) -> Incident:
    """Re-read the row under a lock that serialises writers of this incident (not its
    referrers: ``no_key``), for the rest of the caller's transaction."""
    locked: Incident = Incident.objects.select_for_update(no_key=True).get(pk=incident.pk)
    return locked


def check_version(locked: Incident, version: int) -> None:
    """Refuse an edit made on a stale read of the (locked) incident: ``Conflict``."""
    if locked.version != version:
        raise Conflict(
            _(
                "%(number)s was changed by someone else since you read it (you have "
                "version %(yours)s, it is now at version %(now)s). Reload it and try again."
            )
            % {"number": locked.number, "yours": version, "now": locked.version},
            code="stale_version",
            field="version",
        )


def target_of(incident: Incident, action: str) -> str:
    """The status ``action`` leads to from the incident's status, or ``InvalidTransition``."""
    return TRANSITIONS.target(action, incident.status)


def save_audited(
    incident: Incident,
    *,
    actor: Any,
    action: str,
    before: dict[str, Any],
    at: datetime,
    extra: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Save what changed since ``before`` (a ``snapshot`` of ``TRACKED`` + ``fields``), bump
    the version and record exactly one audit entry; return the recorded changes."""
    after = snapshot(incident, (*TRACKED, *fields))
    changed: dict[str, Any] = diff(before, after)
    incident.version += 1
    incident.updated_at = at
    incident.save(update_fields=[*changed, "version", "updated_at"])
    changes = {**changed, **(extra or {})}
    audit_record(actor=actor, obj=incident, action=action, changes=changes)
    return changes


def before_of(incident: Incident, fields: tuple[str, ...] = ()) -> dict[str, Any]:
    return snapshot(incident, (*TRACKED, *fields))


def sla_context(incident: Incident) -> dict[str, Any]:
    """What the SLA engine matches agreements on (empty without a service: no agreement)."""
    if incident.service_id is None:
        return {}
    return {
        "service": incident.service,
        "priority": incident.priority,
        "department": incident.department,
        "site": incident.site,
        "team": incident.team,
    }


def sla_follow_status(incident: Incident, at: datetime) -> None:
    """Pause, resume, stop or cancel the clocks for the new status; start any whose start
    condition the new status meets (an OLA of a newly assigned team, for instance)."""
    clocks_on_state_change(record=incident, state=incident.status, at=at, **sla_context(incident))


def sla_first_response(incident: Incident, at: datetime) -> None:
    """Tell the engine the first response happened without a status change (a public reply
    while new or assigned). Skipped while a clock is paused: the signal must not resume it."""
    if clocks_for_record(record=incident).filter(state=ClockState.PAUSED).exists():
        return
    clocks_on_state_change(record=incident, state=RESPONDED, at=at)


def not_open_message(incident: Incident) -> str:
    return _("%(number)s is %(status)s; it can no longer be changed.") % {
        "number": incident.number,
        "status": incident.get_status_display(),
    }
