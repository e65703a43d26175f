"""Service request numbers: REQ-000001, REQ-000002, ... (how they are taken:
``core.numbers``): on PostgreSQL from the sequence ``fulfilment_number_req`` (migration
``fulfilment/0002``), on SQLite from the ``RequestNumberSequence`` row.
"""

from __future__ import annotations

from steward.core.numbers import Numbering
from steward.fulfilment.models import RequestNumberSequence, ServiceRequest

PREFIX = "REQ"
REQUEST_NUMBERS = Numbering(
    prefix=PREFIX,
    sequence="fulfilment_number_req",
    counter=RequestNumberSequence,
    record=ServiceRequest,
)


def request_number_next() -> str:
    """Allocate the next request number (in the caller's transaction on SQLite)."""
    return REQUEST_NUMBERS.next()
