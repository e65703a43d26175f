"""Bulk edits from the queue: the same service as a single edit, once per record.

Each record runs in its own savepoint, so one refused record (not visible, not permitted,
wrong status, stale) is reported and the others are still done. Every record gets exactly
the audit entry its single edit writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.core.errors import DomainError, ValidationFailed
from steward.identity.models import Team
from steward.incidents import selectors
from steward.incidents.models import Incident
from steward.incidents.services.assignment import incident_assign
from steward.incidents.services.comments import incident_comment
from steward.incidents.services.lifecycle import incident_hold
from steward.incidents.services.links import ItemResult
from steward.incidents.services.records import incident_set_priority

BULK_MAX = 200
OPERATIONS = ("assign", "priority", "hold", "note")


def incident_bulk_apply(
    *,
    actor: Any,
    numbers: list[str],
    operation: str,
    team: Team | None = None,
    assignee: Any = None,
    priority: int | None = None,
    reason: str = "",
    hold_reason: str = "",
    note: str = "",
) -> list[ItemResult]:
    """Apply one operation to each incident ``numbers`` names, in the given order:

    - ``assign``: ``team`` and/or ``assignee`` (``incident_assign``);
    - ``priority``: ``priority`` with a ``reason`` (``incident_set_priority``);
    - ``hold``: ``hold_reason`` with an optional ``note`` (``incident_hold``);
    - ``note``: an internal work note ``note`` (``incident_comment``).

    Returns one result per distinct number. A number the actor cannot see is reported as
    not found (never as forbidden). Errors (nothing done): ``ValidationFailed`` (operation,
    no records, too many, missing input).
    """
    if operation not in OPERATIONS:
        raise ValidationFailed(_("Choose what to do."), field="operation")
    wanted = list(dict.fromkeys(n.strip().upper() for n in numbers if n.strip()))
    if not wanted:
        raise ValidationFailed(_("Select at least one incident."), field="numbers")
    if len(wanted) > BULK_MAX:
        raise ValidationFailed(
            _("At most %(max)d incidents at once.") % {"max": BULK_MAX}, field="numbers"
        )
    run = _runner(
        operation,
        team=team,
        assignee=assignee,
        priority=priority,
        reason=reason,
        hold_reason=hold_reason,
        note=note,
    )
    results = []
    for number in wanted:
        try:
            with transaction.atomic():
                incident = selectors.incident_get_for(user=actor, number=number)
                run(actor, incident)
        except DomainError as error:
            results.append(ItemResult(number, False, error.message, error.code))
        else:
            results.append(ItemResult(number, True))
    return results


def _runner(
    operation: str,
    *,
    team: Team | None,
    assignee: Any,
    priority: int | None,
    reason: str,
    hold_reason: str,
    note: str,
) -> Callable[[Any, Incident], Any]:
    """The single-record call, after checking the input every record needs."""
    if operation == "assign":
        if team is None and assignee is None:
            raise ValidationFailed(_("Choose a team or an agent."), field="assignee_id")
        return lambda a, i: incident_assign(actor=a, incident=i, team=team, assignee=assignee)
    if operation == "priority":
        if priority is None:
            raise ValidationFailed(_("Choose a priority."), field="priority")
        if not reason.strip():
            raise ValidationFailed(_("Say why the priority changes."), field="reason")
        return lambda a, i: incident_set_priority(
            actor=a, incident=i, priority=priority, reason=reason
        )
    if operation == "hold":
        if not hold_reason:
            raise ValidationFailed(_("Choose why the incidents wait."), field="hold_reason")
        return lambda a, i: incident_hold(actor=a, incident=i, reason=hold_reason, note=note)
    if not note.strip():
        raise ValidationFailed(_("Write the work note."), field="note")
    return lambda a, i: incident_comment(actor=a, incident=i, body=note, public=False)
