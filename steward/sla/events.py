"""Events the SLA engine emits (inside the transaction that records them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steward.core.events import Event


@dataclass(frozen=True)
class SlaThresholdReached(Event):
    """A clock reached a warning threshold (percent < 100) or breached (percent == 100)."""

    clock_id: int
    record_number: str
    percent: int
    escalate_to: str  # assignee, team_lead or service_owner
    due_at: datetime
