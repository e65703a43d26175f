"""When incidents arrive in the demo history and how each one unfolds (pure, seeded).

Arrivals follow a retail chain's year: busier in the three weeks before Spring Festival, in
the run-up to 618 and Double 11, quieter during the holiday itself; Mondays peak; store
incidents come in store hours (09:00–22:00), headquarters ones in office hours on working
days. Each incident is a list of ``Step``s (the actions the services would have taken), with
durations drawn in business time of the service's calendar so SLA results are realistic.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from steward.demo.ticket_texts import SUBJECTS, Subject

LOCAL = ZoneInfo("Asia/Shanghai")
SPRING_FESTIVAL = {
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
}
WEEKDAY = (1.4, 1.1, 1.0, 1.0, 0.95, 0.8, 0.75)  # Monday first
STORE_HOURS = (3.0, 2.2, 1.6, 1.4, 1.1, 1.0, 1.0, 1.1, 1.4, 1.7, 1.5, 1.0, 0.6)  # 09..21
OFFICE_HOURS = (3.0, 2.6, 2.1, 0.4, 2.0, 1.8, 1.5, 1.2, 0.8)  # 09..17
STORE_MIX = {
    "POS": 30, "STORE-NET": 22, "MEMBER": 10, "PRINT": 8, "ACCOUNT": 9, "PC": 5,
    "EMAIL": 4, "WECOM": 5,
}  # fmt: skip
HQ_MIX = {
    "ERP": 17, "EMAIL": 12, "PC": 15, "PRINT": 9, "ACCOUNT": 12, "VPN": 8, "WECOM": 7,
    "WMS": 6, "BI": 5, "HRIS": 5, "DC": 4,
}  # fmt: skip
# Business minutes (median) from start to resolution, per priority 1..5.
EFFORT = {1: 45, 2: 100, 3: 200, 4: 480, 5: 900}
RESOLUTION_CODES = (
    ("solution_provided", 70),
    ("workaround_provided", 12),
    ("user_error", 8),
    ("resolved_by_requester", 5),
    ("not_reproducible", 5),
)


@dataclass
class Step:
    """One action on an incident: who did what when (``None`` actor: the system)."""

    at: dt.datetime
    action: str  # create, update, assign, respond, start, hold, resume, resolve, reopen, close,
    # cancel, comment
    actor_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    """One incident of the history before it is numbered and written."""

    opened_at: dt.datetime
    service: str
    requester_id: int
    department_id: int | None
    site_id: int | None
    team_code: str
    impact: int
    urgency: int
    channel: str
    title: str
    description: str
    category: str
    subcategory: str
    language: str
    steps: list[Step] = field(default_factory=list)
    resolution: tuple[str, str] = ("", "")  # what the engineer writes (zh, en)
    major_key: int | None = None  # the major incident it belongs to (index into MAJORS)
    is_major: bool = False


def season(day: dt.date) -> float:
    """How busy the service desk is on ``day`` relative to an ordinary day."""
    factor = 1.0
    festival = SPRING_FESTIVAL.get(day.year + (1 if day.month >= 11 else 0))
    if festival is not None:
        before = (festival - day).days
        if 2 <= before <= 21:
            factor *= 1.45
        elif -6 <= before <= 1:
            factor *= 0.5
    if day.month == 6 and day.day <= 18:
        factor *= 1.6 if day.day >= 15 else 1.3
    if (day.month == 10 and day.day >= 20) or (day.month == 11 and day.day <= 11):
        factor *= 1.8 if day.month == 11 and day.day >= 8 else 1.45
    if day.month == 10 and day.day <= 7:
        factor *= 0.8
    return factor


def daily_expected(day: dt.date, *, start: dt.date, per_day: float) -> float:
    """Expected incidents on ``day``: base rate × weekday × season × slow growth."""
    growth = 0.92 + 0.16 * min(1.0, (day - start).days / 730)
    return per_day * WEEKDAY[day.weekday()] * season(day) * growth


def count(rng: random.Random, expected: float) -> int:
    if expected < 20:  # Knuth's Poisson for small rates
        limit, k, p = math.exp(-expected), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(expected, math.sqrt(expected))))


def local_instant(rng: random.Random, day: dt.date, hours: tuple[float, ...]) -> dt.datetime:
    hour = 9 + rng.choices(range(len(hours)), weights=hours)[0]
    minute, second = rng.randrange(60), rng.randrange(60)
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LOCAL)


def pick(rng: random.Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def subject_for(rng: random.Random, service: str) -> Subject:
    return rng.choice(SUBJECTS[service])


def fill(text: str, rng: random.Random) -> str:
    return text.format(
        till=rng.randint(1, 6),
        printer=rng.choice(("财务部", "3F", "行政部", "HR")),
        floor=rng.choice(("3 楼", "5 楼", "前台", "3F", "5F")),
    )


def lognormal(rng: random.Random, median: float, sigma: float = 0.8) -> float:
    return median * math.exp(rng.gauss(0, sigma))


BusinessAdd = Callable[[dt.datetime, float], dt.datetime]
