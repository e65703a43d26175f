"""Events of the organisation model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steward.core.events import Event


@dataclass(frozen=True)
class AccountLocked(Event):
    """Too many failed sign-ins: the account is locked until ``locked_until``."""

    person_id: int
    failed_logins: int
    locked_until: datetime
