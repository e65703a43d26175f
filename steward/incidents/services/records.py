"""Raising an incident and editing its plain fields and its priority.

Process: docs/processes/incidents.md (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot
from steward.catalogue.models import Service, ServiceLifecycle
from steward.cmdb.models import ConfigurationItem
from steward.core.config_cache import config_snapshot
from steward.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.identity.models import Team
from steward.incidents import permissions, selectors
from steward.incidents.events import IncidentCreated, IncidentPriorityChanged, IncidentUpdated
from steward.incidents.models import (
    TERMINAL_STATUSES,
    Impact,
    Incident,
    IncidentChannel,
    IncidentStatus,
)
from steward.incidents.priority import LEVELS, PRIORITIES, priority_for
from steward.incidents.services.classify import check_ci
from steward.incidents.services.common import (
    before_of,
    check_version,
    lock,
    not_open_message,
    require,
    save_audited,
)
from steward.incidents.services.major import major_evaluate, major_follow_flag
from steward.incidents.services.numbering import number_next
from steward.incidents.services.routing import check_chosen_team, route_decide, route_record
from steward.incidents.services.triage import triage_open
from steward.sla.models import AgreementKind, MetricKind, SlaClock
from steward.sla.services import clocks_matching, clocks_on_priority_change, clocks_start

CREATE_FIELDS = (
    "number",
    "title",
    "description",
    "requester",
    "service",
    "ci",
    "category",
    "subcategory",
    "impact",
    "urgency",
    "priority",
    "status",
    "channel",
    "team",
    "department",
    "site",
    "restricted",
    "opened_at",
)
UPDATABLE = frozenset(
    {"title", "description", "category", "subcategory", "restricted", "is_major", "ci"}
)

# Fields ``incident_update`` may clear (None): the configuration item is optional.
NULLABLE = frozenset({"ci"})


def incident_create(
    *,
    actor: Any,
    title: str,
    description: str = "",
    requester: Any = None,
    service: Service | None = None,
    impact: int = Impact.LOW,
    urgency: int = Impact.LOW,
    category: str = "",
    subcategory: str = "",
    channel: str = IncidentChannel.PORTAL,
    restricted: bool = False,
    team: Team | None = None,
    ci: ConfigurationItem | None = None,
) -> Incident:
    """Raise an incident for ``requester`` (default: the actor; someone else: agents only).

    The priority comes from the priority matrix; department and site from the requester; the
    team is ``team`` when an agent chose one, else the routing rules decide (the first active
    match; the service's support team or the policy's default team without one), recorded
    as a "route" timeline entry. The SLA clocks of the matching agreements start, and the
    acknowledgement event (with the promised first-response time) is emitted in the
    transaction, so its notification commits with it. The triage row written with it makes a
    job, once this commits, assign the incident by the team's strategy and apply the
    major-incident criteria (``services/triage.py``).

    Emits ``IncidentCreated``. Errors: ``NotPermitted``; ``ValidationFailed`` (title, impact,
    urgency, channel, service, requester).
    """
    requester = requester if requester is not None else actor
    require(
        permissions.can_raise_for(actor, requester),
        _("Only agents may raise an incident on someone else's behalf."),
    )
    require(
        not restricted or permissions.can_mark_restricted(actor),
        _("Only agents may restrict an incident."),
    )
    title = _clean_title(title)
    _check_levels(impact=impact, urgency=urgency)
    if channel not in IncidentChannel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    if service is not None and service.lifecycle == ServiceLifecycle.RETIRED:
        raise ValidationFailed(
            _("The service %(code)s is retired.") % {"code": service.code}, field="service_id"
        )
    check_ci(ci)
    if not requester.is_active:
        raise ValidationFailed(_("The requester's account is inactive."), field="requester_id")
    check_chosen_team(actor, team)
    # One configuration stamp for the routing, priority, SLA and template reads below.
    with transaction.atomic(), config_snapshot():
        now = timezone.now()
        route = route_decide(
            service=service,
            requester=requester,
            title=title,
            description=description,
            category=category,
            team=team,
        )
        priority = priority_for(impact, urgency, selectors.priority_matrix())
        metrics = (
            clocks_matching(
                service=service,
                state=IncidentStatus.NEW,
                department=requester.department,
                site=requester.site,
                team=route.team,
                at=now,
            )
            if service is not None
            else []
        )
        # Everything that only reads (routing, priority, agreement matching) comes before the
        # number (numbering.py) and the writes.
        incident = Incident(
            number=number_next(),
            title=title,
            description=description,
            requester=requester,
            service=service,
            ci=ci,
            category=category.strip()[:64],
            subcategory=subcategory.strip()[:64],
            impact=impact,
            urgency=urgency,
            priority=priority,
            status=IncidentStatus.NEW,
            channel=channel,
            team=route.team,
            routing_rule=route.rule,
            department=requester.department,
            site=requester.site,
            restricted=restricted,
            opened_at=now,
            updated_at=now,
        )
        incident.save(force_insert=True)
        started = clocks_start(record=incident, metrics=metrics, priority=priority, at=now)
        # The response shows these clocks; the API reads them from here instead of again.
        incident.started_clocks = started
        triage_open(incident=incident, actor=actor)
        emit_in_transaction(
            IncidentCreated(
                incident_id=incident.pk,
                number=incident.number,
                actor_id=getattr(actor, "pk", None),
                requester_id=requester.pk,
                first_response_due_at=_promised_response(started),
            ),
            records=[incident],
        )
        # The audit chain serialises its writers until they commit, so the entries come last:
        # the lock is held for these two inserts and the commit, not for all of the above.
        # The create entry comes before the routing one, so the timeline reads in order:
        # routed, then (the triage job, after commit) assigned and declared or linked major.
        audit_record(
            actor=actor, obj=incident, action="create", changes=snapshot(incident, CREATE_FIELDS)
        )
        route_record(actor=actor, incident=incident, route=route)
    return incident


def _promised_response(started: list[SlaClock]) -> Any:
    """The customer agreement's first-response due time among the clocks just started."""
    promised = sorted(
        clock.due_at
        for clock in started
        if clock.kind == MetricKind.FIRST_RESPONSE
        and clock.agreement.kind == AgreementKind.SLA
        and clock.due_at is not None
    )
    return promised[0] if promised else None


def incident_update(
    *, actor: Any, incident: Incident, version: int, changes: dict[str, Any]
) -> Incident:
    """Change plain fields (title, description, category, subcategory, the configuration item
    ``ci``, restricted, is_major).

    Optimistic concurrency: ``version`` is the version the caller read; if the incident has
    changed since, nothing is saved and ``Conflict`` (code ``stale_version``) is raised.
    Requesters may change the title and description of their own incident; agents working it
    the classification too; team leads and administrators also the major-incident flag.

    Emits ``IncidentUpdated`` (only when something changed). Errors: ``NotPermitted``,
    ``Conflict``, ``InvalidTransition`` (closed or cancelled), ``ValidationFailed``.
    """
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    allowed = permissions.fields_editable_by(actor, incident)
    require(bool(allowed), _("You may not change this incident."))
    denied = sorted(set(changes) - allowed)
    if denied:
        raise NotPermitted(_("You may not change %(field)s.") % {"field": denied[0]})
    cleaned = _clean_changes(changes)
    with transaction.atomic():
        locked = lock(incident)
        check_version(locked, version)
        if locked.status in TERMINAL_STATUSES:
            raise InvalidTransition(not_open_message(locked))
        fields = tuple(sorted(cleaned))
        before = before_of(locked, fields)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        if before == before_of(locked, fields):
            return locked
        changed = save_audited(
            locked, actor=actor, action="update", before=before, at=timezone.now(), fields=fields
        )
        # After the save, so that the declaration's notifications read the incident as changed.
        major_follow_flag(locked, actor=actor)
        publish(
            IncidentUpdated(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=actor.pk,
                fields=tuple(sorted(changed)),
            )
        )
    return locked


def _clean_title(title: str) -> str:
    cleaned = " ".join(str(title).split())
    if not cleaned:
        raise ValidationFailed(_("Give the incident a title."), field="title")
    if len(cleaned) > 200:
        raise ValidationFailed(_("The title is longer than 200 characters."), field="title")
    return cleaned


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(changes)
    empty = next(
        (name for name, value in cleaned.items() if value is None and name not in NULLABLE), None
    )
    if empty is not None:
        raise ValidationFailed(_("%(field)s cannot be empty.") % {"field": empty}, field=empty)
    if "title" in cleaned:
        cleaned["title"] = _clean_title(cleaned["title"])
    for name in ("category", "subcategory"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name]).strip()
            if len(cleaned[name]) > 64:
                raise ValidationFailed(_("At most 64 characters."), field=name)
    for name in ("restricted", "is_major"):
        if name in cleaned and not isinstance(cleaned[name], bool):
            raise ValidationFailed(_("Expected true or false."), field=name)
    if "description" in cleaned:
        cleaned["description"] = str(cleaned["description"])
    if "ci" in cleaned:
        check_ci(cleaned["ci"])
    return cleaned


def _check_levels(*, impact: int | None, urgency: int | None) -> None:
    for name, value in (("impact", impact), ("urgency", urgency)):
        if value is not None and value not in LEVELS:
            raise ValidationFailed(_("%(field)s must be 1, 2 or 3.") % {"field": name}, field=name)


def incident_set_priority(
    *,
    actor: Any,
    incident: Incident,
    reason: str,
    impact: int | None = None,
    urgency: int | None = None,
    priority: int | None = None,
) -> Incident:
    """Re-classify impact and/or urgency (priority from the matrix), or set the priority
    explicitly. A reason is mandatory (audit evidence, iso20000.md 4.1). The SLA clocks apply
    their agreement's priority-change policy in the same transaction.

    Emits ``IncidentPriorityChanged`` when the priority changes. Errors: ``NotPermitted``,
    ``InvalidTransition`` (not open), ``ValidationFailed`` (reason, impact, urgency, priority).
    """
    require(permissions.can_set_priority(actor, incident), _("You may not change the priority."))
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationFailed(_("Say why the priority changes."), field="reason")
    if impact is None and urgency is None and priority is None:
        raise ValidationFailed(_("Give an impact, an urgency or a priority."), field="priority")
    _check_levels(impact=impact, urgency=urgency)
    if priority is not None and priority not in PRIORITIES:
        raise ValidationFailed(_("The priority must be 1 to 5."), field="priority")
    with transaction.atomic():
        locked = lock(incident)
        if not locked.is_open:
            raise InvalidTransition(not_open_message(locked))
        before = before_of(locked)
        old_priority = locked.priority
        locked.impact = impact if impact is not None else locked.impact
        locked.urgency = urgency if urgency is not None else locked.urgency
        locked.priority = (
            priority
            if priority is not None
            else priority_for(locked.impact, locked.urgency, selectors.priority_matrix())
        )
        if before == before_of(locked):
            return locked
        now = timezone.now()
        save_audited(
            locked,
            actor=actor,
            action="priority",
            before=before,
            at=now,
            extra={"reason": reason, "explicit": priority is not None},
        )
        major_evaluate(actor=actor, incident=locked)
        if locked.priority != old_priority:
            clocks_on_priority_change(record=locked, priority=locked.priority, at=now)
            publish(
                IncidentPriorityChanged(
                    incident_id=locked.pk,
                    number=locked.number,
                    actor_id=actor.pk,
                    before=old_priority,
                    after=locked.priority,
                    reason=reason,
                )
            )
    return locked
