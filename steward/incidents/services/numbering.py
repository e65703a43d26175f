"""Incident numbers: INC-000001, INC-000002, ... (how they are taken: ``core.numbers``).

On PostgreSQL they come from the sequence ``incidents_number_inc`` (migration
``incidents/0009``), on SQLite from the ``NumberSequence`` row. A creating service does its
reading first (routing, priority, SLA matching) and takes the number just before its writes.
"""

from __future__ import annotations

from steward.core.numbers import Numbering
from steward.incidents.models import Incident, NumberSequence

PREFIX = "INC"
INCIDENT_NUMBERS = Numbering(
    prefix=PREFIX, sequence="incidents_number_inc", counter=NumberSequence, record=Incident
)


def number_next() -> str:
    """Allocate the next incident number (in the caller's transaction on SQLite)."""
    return INCIDENT_NUMBERS.next()


def numbers_reserve(count: int) -> list[str]:
    """``count`` consecutive incident numbers, for loaders that write history in bulk."""
    return INCIDENT_NUMBERS.reserve(count)


def number_last() -> int:
    """The last incident number handed out (0: none yet)."""
    return INCIDENT_NUMBERS.last()
