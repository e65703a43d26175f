"""Template filters for service levels and the catalogue, used by console and portal pages:
business durations in words, minute-of-day times, metric and clock-state labels.
Presentation only: no queries."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.sla.models import ClockState, MetricKind
from steward.sla.models.calendars import hhmm as _hhmm

register = template.Library()

# The portal speaks of working days; one is eight business hours (09:00-12:00, 13:00-18:00).
WORKING_DAY_MINUTES = 8 * 60


def _hours_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(n)d minute", "%(n)d minutes", rest) % {"n": rest}
    if not rest:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}


@register.filter
def business_minutes(minutes: Any) -> str:
    """A promise in business minutes, in words: "3 working days", "4 business hours"."""
    if minutes is None or minutes == "":
        return "—"
    total = int(minutes)
    if total >= WORKING_DAY_MINUTES and total % WORKING_DAY_MINUTES == 0:
        days = total // WORKING_DAY_MINUTES
        return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
    if total % 60 == 0:
        hours = total // 60
        return ngettext("%(n)d business hour", "%(n)d business hours", hours) % {"n": hours}
    if total < 60:
        return ngettext("%(n)d business minute", "%(n)d business minutes", total) % {"n": total}
    return _("%(time)s of business time") % {"time": _hours_minutes(total)}


@register.filter
def duration(seconds: Any) -> str:
    """Business seconds as hours and minutes: "26 h 05 min", "45 minutes"."""
    if seconds is None or seconds == "":
        return "—"
    return _hours_minutes(int(seconds) // 60)


@register.filter
def hhmm(minute: Any) -> str:
    """A minute of the day as a wall-clock time: 540 → 09:00, 1440 → 24:00."""
    return _hhmm(int(minute))


@register.filter
def metric_label(kind: str) -> str:
    return str(MetricKind(kind).label) if kind in MetricKind.values else kind


@register.filter
def clock_state_label(state: str) -> str:
    return str(ClockState(state).label) if state in ClockState.values else state


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` (string keys tried too), or None."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def plain_number(value: Any) -> str:
    """A decimal without trailing zeros: 99.500 → 99.5, 100.00 → 100."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format(number.normalize(), "f")
