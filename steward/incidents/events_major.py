"""Domain events of major incidents, links, merges and bulk edits.

The major-incident events carry a message to people (the declaration, the manager's change,
each update, the overdue reminder, the completed review), so they are emitted inside the
transaction: their notification rows commit (or roll back) with the change. ``IncidentLinked``
and ``IncidentMerged`` are published on commit. See docs/events.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.incidents.events import IncidentEvent


@dataclass(frozen=True)
class MajorIncidentDeclared(IncidentEvent):
    """The incident became a major incident (``criterion``: priority, sites or manual)."""

    criterion: str
    owner_id: int | None


@dataclass(frozen=True)
class MajorOwnerChanged(IncidentEvent):
    """The manager or the update interval changed (``previous_owner_id`` equals ``owner_id``
    when only the interval did)."""

    owner_id: int | None
    previous_owner_id: int | None
    update_interval_minutes: int


@dataclass(frozen=True)
class MajorUpdateWritten(IncidentEvent):
    """A communication was logged; ``recipient_ids`` are the people Steward sends it to
    (empty when it was given on another channel)."""

    entry_id: int
    recipient_ids: tuple[int, ...]


@dataclass(frozen=True)
class MajorUpdateOverdue(IncidentEvent):
    """The scheduled update is due and was not written: the owner is reminded (once per due)."""

    owner_id: int
    due_at_iso: str


@dataclass(frozen=True)
class MajorReviewCompleted(IncidentEvent):
    """The review was signed off (final): its cause and actions are settled."""

    review_id: int


@dataclass(frozen=True)
class IncidentLinked(IncidentEvent):
    """``incident`` was linked as ``kind`` of ``target_number`` (or unlinked: ``removed``)."""

    kind: str
    target_number: str
    removed: bool


@dataclass(frozen=True)
class IncidentMerged(IncidentEvent):
    """``incident`` was merged into ``into_number`` and closed as a duplicate."""

    into_id: int
    into_number: str


MAJOR_EVENTS: tuple[type[IncidentEvent], ...] = (
    MajorIncidentDeclared,
    MajorOwnerChanged,
    MajorUpdateWritten,
    MajorUpdateOverdue,
    MajorReviewCompleted,
    IncidentLinked,
    IncidentMerged,
)
