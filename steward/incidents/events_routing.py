"""Domain events of escalation. See docs/processes/incidents.md and docs/events.md."""

from __future__ import annotations

from dataclasses import dataclass

from steward.incidents.events import IncidentEvent


@dataclass(frozen=True)
class IncidentEscalated(IncidentEvent):
    """An incident was escalated; ``recipient_ids`` are the new owners to tell (the new
    assignee, or the team lead / the team without one; the manager of a hierarchical
    escalation). An escalation by the SLA (``actor_id`` None) leaves out whoever its warning
    or breach notification already reached, so ``recipient_ids`` may be empty.

    Emitted inside the transaction so that the notification commits with the escalation."""

    escalation_id: int
    kind: str
    level: int
    team_id: int | None
    recipient_ids: tuple[int, ...]
    reason: str
