"""Domain events of incident management. See docs/processes/incidents.md and docs/events.md.

Events that carry a message to the requester (``IncidentCreated``, ``IncidentReplied``,
``IncidentResolved``) are emitted inside the transaction (``core.events.emit_in_transaction``)
so that their notification rows commit with the change; the others are published on commit.
Every event carries ids and the number, never model instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steward.core.events import Event


@dataclass(frozen=True)
class IncidentEvent(Event):
    """Base of the incident events: which incident, and who acted (None: the system)."""

    incident_id: int
    number: str
    actor_id: int | None


@dataclass(frozen=True)
class IncidentCreated(IncidentEvent):
    """An incident was raised. ``first_response_due_at`` is the customer SLA's promise
    (None when no agreement applies)."""

    requester_id: int
    first_response_due_at: datetime | None


@dataclass(frozen=True)
class IncidentUpdated(IncidentEvent):
    """Plain fields changed (title, description, category, ...)."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class IncidentPriorityChanged(IncidentEvent):
    before: int
    after: int
    reason: str


@dataclass(frozen=True)
class IncidentReclassified(IncidentEvent):
    """The service changed (``before``/``after`` are service ids or None)."""

    before: int | None
    after: int | None
    reason: str


@dataclass(frozen=True)
class IncidentAssigned(IncidentEvent):
    team_id: int | None
    assignee_id: int | None


@dataclass(frozen=True)
class IncidentStarted(IncidentEvent):
    pass


@dataclass(frozen=True)
class IncidentPutOnHold(IncidentEvent):
    hold_reason: str


@dataclass(frozen=True)
class IncidentResumed(IncidentEvent):
    """Work continues; ``automatic`` when the requester's reply ended an awaiting-requester hold."""

    automatic: bool


@dataclass(frozen=True)
class IncidentResolved(IncidentEvent):
    resolved_at: datetime
    resolution_code: str
    reopen_until: datetime


@dataclass(frozen=True)
class IncidentReopened(IncidentEvent):
    reason: str


@dataclass(frozen=True)
class IncidentClosed(IncidentEvent):
    """Closed by the requester's confirmation, an agent, or (``automatic``) the auto-close job."""

    automatic: bool


@dataclass(frozen=True)
class IncidentCancelled(IncidentEvent):
    reason: str


@dataclass(frozen=True)
class IncidentReplied(IncidentEvent):
    """A public reply was added (by the requester or by staff; ``by_requester`` tells which)."""

    comment_id: int
    by_requester: bool


@dataclass(frozen=True)
class IncidentWorkNoteAdded(IncidentEvent):
    """An internal work note was added (never shown to requesters)."""

    comment_id: int


ALL_EVENTS: tuple[type[IncidentEvent], ...] = (
    IncidentCreated,
    IncidentUpdated,
    IncidentPriorityChanged,
    IncidentReclassified,
    IncidentAssigned,
    IncidentStarted,
    IncidentPutOnHold,
    IncidentResumed,
    IncidentResolved,
    IncidentReopened,
    IncidentClosed,
    IncidentCancelled,
    IncidentReplied,
    IncidentWorkNoteAdded,
)
