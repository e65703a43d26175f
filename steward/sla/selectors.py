"""Reads of the SLA app, scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.identity import permissions
from steward.sla.models import Agreement, BusinessCalendar, ClockState, SlaClock
from steward.sla.services.planning import elapsed_at


def calendar_list_for(*, user: Any) -> QuerySet[BusinessCalendar]:
    if not permissions.is_staff_member(user):
        return BusinessCalendar.objects.none()
    return BusinessCalendar.objects.prefetch_related("windows", "years")


def calendar_get_for(*, user: Any, code: str) -> BusinessCalendar:
    calendar = calendar_list_for(user=user).filter(code__iexact=code).first()
    if calendar is None:
        raise NotFound(_("No calendar %(code)s.") % {"code": code})
    return calendar


def agreement_list_for(*, user: Any) -> QuerySet[Agreement]:
    if not permissions.is_staff_member(user):
        return Agreement.objects.none()
    return Agreement.objects.select_related("service").prefetch_related("metrics__calendar")


def agreement_get_for(*, user: Any, code: str) -> Agreement:
    agreement = agreement_list_for(user=user).filter(code__iexact=code).first()
    if agreement is None:
        raise NotFound(_("No agreement %(code)s.") % {"code": code})
    return agreement


def clocks_for_record(*, record: Any) -> QuerySet[SlaClock]:
    """The clocks of a record the caller has already found through its visible selector."""
    return (
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("agreement", "calendar", "metric")
        .order_by("started_at", "kind")
    )


@dataclass(frozen=True)
class ClockStatus:
    elapsed_seconds: int
    percent: float
    remaining_seconds: int | None


def clock_status(clock: SlaClock, now: dt.datetime | None = None) -> ClockStatus:
    """Elapsed business time, percentage used and remaining business time at ``now``."""
    elapsed = elapsed_at(clock, now or timezone.now())
    percent = round(100.0 * elapsed / clock.target_seconds, 1) if clock.target_seconds else 0.0
    remaining = (
        max(0, clock.target_seconds - elapsed)
        if clock.state in (ClockState.RUNNING, ClockState.PAUSED)
        else None
    )
    return ClockStatus(elapsed, percent, remaining)


def clock_get(*, clock_id: int) -> SlaClock:
    """The clock an SLA event names, for the event's subscribers (the system reads it)."""
    return SlaClock.objects.get(pk=clock_id)


def escalation_recipients(*, clock_id: int, level: str) -> tuple[SlaClock, list[Any]]:
    """The clock and the people an escalation level reaches: the record's assignee, its team
    lead, or the service owner (falling back upwards when a level has nobody)."""
    clock = SlaClock.objects.select_related("agreement__service__owner").get(pk=clock_id)
    record = clock.record
    assignee = getattr(record, "assignee", None)
    team = getattr(record, "team", None)
    lead = getattr(team, "lead", None) if team is not None else None
    owner = clock.agreement.service.owner
    chains: dict[str, list[Any]] = {
        "assignee": [assignee, lead, owner],
        "team_lead": [lead, owner],
        "service_owner": [owner],
    }
    chain = chains.get(level, [])
    first = next((person for person in chain if person is not None), None)
    people = [first] if first is not None else []
    if level == "service_owner" and lead is not None and lead not in people:
        people.append(lead)
    return clock, people
