"""Reads of incident management, always scoped to the user (the IDOR rule).

Visibility is the one work-item rule (``steward.workitems.visibility``); an incident the user
may not see is ``NotFound``, never "forbidden".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.selectors import audit_entries_for_record
from steward.catalogue.models import Service
from steward.core.config_cache import cached
from steward.core.errors import NotFound, ValidationFailed
from steward.core.refs import one
from steward.identity.models import Person, Team
from steward.identity.selectors import person_with_org_units
from steward.incidents import permissions
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.models import (
    OPEN_STATUSES,
    Comment,
    CommentVisibility,
    Incident,
    IncidentPolicy,
    IncidentStatus,
    PriorityRule,
)
from steward.incidents.priority import DEFAULT_MATRIX
from steward.sla.models import AgreementKind, ClockState, SlaClock, SlaClockEvent
from steward.sla.selectors import clock_status, clocks_for_record
from steward.sla.timemath import CalendarNotCovered

LIST_RELATED = ("requester", "assignee", "team", "service", "department", "site", "ci")


def _visible(user: Any) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user)  # type: ignore[return-value]


def incident_list_for(*, user: Any, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    """The incidents ``user`` may see, narrowed by a queue and filters, newest first.

    Each row carries ``resolution_due_at`` (the customer SLA's running or paused resolution
    clock), so a list needs no query per row. Ordered by id (descending) for keyset paging.
    """
    f = filters or IncidentFilters()
    now = timezone.now()
    incidents = _visible(user).select_related(*LIST_RELATED)
    incidents = _apply_queue(incidents, user=user, queue=f.queue, filters=f, now=now)
    if f.status:
        incidents = incidents.filter(status__in=f.status)
    if f.priority:
        incidents = incidents.filter(priority__in=f.priority)
    for name in ("team_id", "assignee_id", "service_id", "requester_id", "is_major"):
        value = getattr(f, name)
        if value is not None:
            incidents = incidents.filter(**{name: value})
    if f.ci.strip():
        incidents = incidents.filter(ci__ci_id=f.ci.strip().upper())
    text = f.query.strip()
    if text:
        incidents = incidents.filter(Q(number__iexact=text) | Q(title__icontains=text))
    return incidents.annotate(resolution_due_at=Subquery(_due_clock("resolution"))).order_by("-id")


def _apply_queue(
    incidents: QuerySet[Incident],
    *,
    user: Any,
    queue: str,
    filters: IncidentFilters,
    now: dt.datetime,
) -> QuerySet[Incident]:
    open_only = incidents.filter(status__in=OPEN_STATUSES)
    if queue == IncidentQueue.MINE:
        return open_only.filter(assignee_id=user.pk)
    if queue == IncidentQueue.MY_TEAMS:
        return open_only.filter(team__memberships__person_id=user.pk)
    if queue == IncidentQueue.UNASSIGNED:
        return open_only.filter(assignee__isnull=True)
    if queue == IncidentQueue.ON_HOLD:
        return incidents.filter(status=IncidentStatus.ON_HOLD)
    if queue == IncidentQueue.BREACHING_SOON:
        return incidents.breaching(at=now, within_minutes=filters.within_minutes)  # type: ignore[attr-defined, no-any-return]
    if queue == IncidentQueue.OVERDUE:
        return incidents.overdue(at=now)  # type: ignore[attr-defined, no-any-return]
    if queue == IncidentQueue.RECENTLY_UPDATED:
        return incidents.filter(
            updated_at__gte=now - dt.timedelta(hours=filters.updated_within_hours)
        )
    if queue == IncidentQueue.RAISED_BY_ME:
        return incidents.filter(requester_id=user.pk)
    return incidents


def _due_clock(kind: str) -> QuerySet[SlaClock, Any]:
    return (
        SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident),
            object_id=OuterRef("pk"),
            kind=kind,
            agreement__kind=AgreementKind.SLA,
            state__in=[ClockState.RUNNING, ClockState.PAUSED],
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )


def incident_get_for(*, user: Any, number: str) -> Incident:
    """The incident ``number`` if ``user`` may see it; otherwise ``NotFound`` (never 403)."""
    incident = _visible(user).select_related(*LIST_RELATED).filter(number__iexact=number).first()
    if incident is None:
        raise NotFound(_("No incident %(number)s.") % {"number": number})
    return incident


def incident_comments_for(*, user: Any, incident: Incident) -> QuerySet[Comment]:
    """The comments of an incident the caller found through ``incident_get_for``: all of them
    for staff, the public replies only for everyone else."""
    comments = incident.comments.select_related("author").order_by("created_at", "id")
    if not permissions.can_see_work_notes(user):
        comments = comments.filter(visibility=CommentVisibility.PUBLIC)
    return comments


@dataclass(frozen=True)
class ClockView:
    """An SLA clock of an incident as the detail shows it."""

    id: int
    kind: str
    agreement: str
    agreement_kind: str
    state: str
    priority: int
    target_minutes: int
    started_at: dt.datetime
    due_at: dt.datetime | None
    stopped_at: dt.datetime | None
    breached_at: dt.datetime | None
    elapsed_seconds: int
    remaining_seconds: int | None
    percent: float | None  # None when the calendar cannot count up to now (a missing year)


def incident_clocks_for(*, user: Any, incident: Incident) -> list[ClockView]:
    """The incident's SLA clocks with elapsed/remaining/percent now. Requesters see only their
    agreement (SLA); internal OLA and supplier targets are for staff. An incident just created
    carries the clocks it started, which are then shown without reading them back."""
    clocks: Any
    if incident.started_clocks is not None:
        clocks = sorted(incident.started_clocks, key=lambda c: (c.started_at, c.kind))
    else:
        clocks = clocks_for_record(record=incident)
    if not permissions.can_see_work_notes(user):
        clocks = [c for c in clocks if c.agreement.kind == AgreementKind.SLA]
    now = timezone.now()
    views = []
    for clock in clocks:
        elapsed: int = clock.elapsed_seconds
        remaining: int | None = None
        percent: float | None = None
        try:
            status = clock_status(clock, now)
            elapsed, remaining, percent = (
                status.elapsed_seconds,
                status.remaining_seconds,
                status.percent,
            )
        except CalendarNotCovered:
            pass  # the panel shows the clock without a live count
        views.append(
            ClockView(
                id=clock.pk,
                kind=clock.kind,
                agreement=clock.agreement.code,
                agreement_kind=clock.agreement.kind,
                state=clock.state,
                priority=clock.priority,
                target_minutes=clock.target_seconds // 60,
                started_at=clock.started_at,
                due_at=clock.due_at,
                stopped_at=clock.stopped_at,
                breached_at=clock.breached_at,
                elapsed_seconds=elapsed,
                remaining_seconds=remaining,
                percent=percent,
            )
        )
    return views


@dataclass(frozen=True)
class TimelineItem:
    """One line of an incident's history: a change (audit entry), a comment or an SLA event."""

    at: dt.datetime
    kind: str  # "change", "comment" or "sla"
    action: str
    actor_id: int | None = None
    actor_label: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    visibility: str = ""


def incident_timeline_for(*, user: Any, incident: Incident) -> list[TimelineItem]:
    """The incident's history, oldest first: audit entries, comments (public replies only for
    non-staff) and, for staff, the SLA clock events."""
    items = [
        TimelineItem(
            at=entry.occurred_at,
            kind="change",
            action=entry.action,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            changes=entry.changes,
        )
        for entry in audit_entries_for_record(obj=incident)
    ]
    items += [
        TimelineItem(
            at=comment.created_at,
            kind="comment",
            action=comment.visibility,
            actor_id=comment.author_id,
            actor_label=str(comment.author),
            body=comment.body,
            visibility=comment.visibility,
        )
        for comment in incident_comments_for(user=user, incident=incident)
    ]
    if permissions.can_see_work_notes(user):
        events = SlaClockEvent.objects.filter(
            clock__content_type=ContentType.objects.get_for_model(Incident),
            clock__object_id=incident.pk,
        ).select_related("clock__agreement")
        items += [
            TimelineItem(
                at=event.at,
                kind="sla",
                action=event.kind,
                changes={
                    "metric": event.clock.kind,
                    "agreement": event.clock.agreement.code,
                    "elapsed_seconds": event.elapsed_seconds,
                    **event.detail,
                },
            )
            for event in events
        ]
    # At one instant a comment comes first (it may cause a change), then the change, then
    # the SLA events the change caused.
    order = {"comment": 0, "change": 1, "sla": 2}
    return sorted(items, key=lambda item: (item.at, order[item.kind]))


def priority_matrix() -> dict[tuple[int, int], int]:
    """The administrators' priority matrix (the default where a cell is missing); cached per
    process until the configuration changes (``core.config_cache``)."""

    def build() -> dict[tuple[int, int], int]:
        matrix = dict(DEFAULT_MATRIX)
        for impact, urgency, priority in PriorityRule.objects.values_list(
            "impact", "urgency", "priority"
        ):
            matrix[(impact, urgency)] = priority
        return matrix

    return dict(cached(("incidents.priority_matrix",), build, watch=(PriorityRule,)))


def incident_policy() -> IncidentPolicy:
    """The incident rules (the defaults, unsaved, if the row is missing).

    Cached per process until the configuration changes (``core.config_cache``): the instance
    is shared, so read it and never change or save it (the policy service reads its own)."""

    def build() -> IncidentPolicy:
        return IncidentPolicy.objects.select_related("default_team").filter(pk=1).first() or (
            IncidentPolicy(pk=1)
        )

    return cached(("incidents.policy",), build, watch=(IncidentPolicy, Team))


def incident_ids_due_for_auto_close(*, now: dt.datetime | None = None) -> list[int]:
    """Resolved incidents whose resolution is older than the policy's auto-close period."""
    days = incident_policy().auto_close_days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return list(
        Incident.objects.filter(status=IncidentStatus.RESOLVED, resolved_at__lte=cutoff)
        .order_by("resolved_at", "pk")
        .values_list("pk", flat=True)
    )


def _service(service_id: int) -> Service:
    """A service with its support team (which routing falls back to), from the configuration
    cache: shared, read-only. Unknown: a 422 on ``service_id``."""

    def build() -> Service | None:
        return one(Service.objects.select_related("support_team").filter(pk=service_id))

    service = cached(
        ("catalogue.service", service_id), build, watch=(Service, Team), snapshot_only=True
    )
    if service is None:
        raise ValidationFailed(
            _("There is no %(name)s with id %(id)s.") % {"name": "service", "id": service_id},
            field="service_id",
        )
    return service


def references_resolve(
    *,
    service_id: int | None = None,
    team_id: int | None = None,
    assignee_id: int | None = None,
    requester_id: int | None = None,
) -> dict[str, Any]:
    """Turn ``*_id`` inputs of the API into records; an unknown id is a 422 on its field."""
    found: dict[str, Any] = {}
    if service_id is not None:
        found["service"] = _service(service_id)
    # The requester with what the create service reads next: their department and site,
    # which the incident records and routing and SLA matching use.
    wanted: list[tuple[str, int | None, Any]] = [
        ("team", team_id, lambda pk: one(Team.objects.filter(pk=pk))),
        ("assignee", assignee_id, lambda pk: one(Person.objects.filter(pk=pk))),
        ("requester", requester_id, person_with_org_units),
    ]
    for name, pk, load in wanted:
        if pk is None:
            continue
        obj = load(pk)
        if obj is None:
            raise ValidationFailed(
                _("There is no %(name)s with id %(id)s.") % {"name": name, "id": pk},
                field=f"{name}_id",
            )
        found[name] = obj
    return found
