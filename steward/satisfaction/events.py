"""Domain events of satisfaction. See docs/processes/satisfaction.md and docs/events.md.

``SurveyInvited`` and ``ComplaintOpened`` carry a message (to the requester, to the owner) and
are emitted inside the transaction so that their notification rows commit with the change;
the others are published on commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.core.events import Event


@dataclass(frozen=True)
class SurveyInvited(Event):
    survey_id: int
    record_number: str
    requester_id: int


@dataclass(frozen=True)
class SurveyRated(Event):
    survey_id: int
    record_number: str
    rating: int


@dataclass(frozen=True)
class SurveyVoided(Event):
    survey_id: int
    record_number: str


@dataclass(frozen=True)
class ComplaintOpened(Event):
    complaint_id: int
    number: str
    owner_id: int | None


@dataclass(frozen=True)
class ComplaintChanged(Event):
    """A complaint moved along its life cycle (``action``: investigate, resolve, reopen,
    close) or was reassigned (``assign``)."""

    complaint_id: int
    number: str
    action: str
    actor_id: int | None


@dataclass(frozen=True)
class ComplaintAssigned(Event):
    """A complaint was handed to a new owner (emitted inside the transaction)."""

    complaint_id: int
    number: str
    owner_id: int


@dataclass(frozen=True)
class ComplaintResolved(Event):
    """The complaint was resolved: the customer is told the outcome (emitted inside the
    transaction)."""

    complaint_id: int
    number: str
    requester_id: int
