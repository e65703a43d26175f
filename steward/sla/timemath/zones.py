"""Instants as integer microseconds since the Unix epoch, and wall-clock times turned into them.

A wall-clock time becomes the first instant at which the local clock shows at least that time:
- in the autumn fold (a repeated hour) that is the first occurrence;
- in the spring gap (a skipped hour) it is the first instant after the gap.
So a window's length is the real time that passes, e.g. 25 hours for the whole day of a fall-back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from steward.sla.timemath.windows import END_OF_DAY

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as 'Asia/Shanghai'"
        ) from exc


def to_us(moment: datetime) -> int:
    """An aware datetime as epoch microseconds. A naive datetime is refused: it names no instant."""
    try:
        delta = moment - EPOCH
    except TypeError as exc:
        raise ValueError(f"{moment!r} is naive: pass an aware datetime") from exc
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def to_us_duration(duration: timedelta) -> int:
    return (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds


def from_us(us: int) -> datetime:
    """Epoch microseconds as an aware datetime in UTC."""
    return EPOCH + timedelta(microseconds=us)


def wall_clock(zone: ZoneInfo, us: int) -> datetime:
    """The naive local wall-clock reading at an instant."""
    return from_us(us).astimezone(zone).replace(tzinfo=None)


def local_year(zone: ZoneInfo, us: int) -> int:
    return from_us(us).astimezone(zone).year


def wall_to_us(zone: ZoneInfo, day: date, at: time) -> int:
    """The first instant at which the clock in ``zone`` shows ``day`` ``at`` or later.

    ``at == END_OF_DAY`` means 24:00, i.e. 00:00 of the next day.
    """
    wall = (
        datetime.combine(day + _ONE_DAY, _MIDNIGHT)
        if at == END_OF_DAY
        else datetime.combine(day, at)
    )
    first = to_us(wall.replace(tzinfo=zone))  # fold=0: the first occurrence of a repeated time
    if wall_clock(zone, first) == wall:
        return first
    # The wall time falls in a gap. fold=0 and fold=1 apply the offsets from before and after the
    # transition; the transition instant lies between them. Bisect for the first instant whose
    # wall clock has reached `wall` (the clock never shows `wall` itself).
    other = to_us(wall.replace(tzinfo=zone, fold=1))
    low, high = min(first, other), max(first, other)
    if not wall_clock(zone, low) < wall <= wall_clock(zone, high):
        raise AssertionError(f"cannot place {wall} in {zone.key}: unexpected transition")
    while high - low > 1:
        middle = (low + high) // 2
        if wall_clock(zone, middle) >= wall:
            high = middle
        else:
            low = middle
    return high
