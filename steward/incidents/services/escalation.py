"""Escalating an incident: functionally (to another team) or hierarchically (to management),
by an agent or, when an SLA warning or breach reaches a manager, by the system.

Process: docs/processes/incidents.md, "Routing, assignment and escalation". Each escalation
writes an ``Escalation`` evidence row, one audit entry (the timeline) and emits
``IncidentEscalated`` inside the transaction, so the new owner's notification commits with it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import BusinessRuleViolation, InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.identity.models import Person, Team
from steward.incidents import permissions_routing as perms
from steward.incidents.events_routing import IncidentEscalated
from steward.incidents.models import (
    ESCALATIONS,
    TERMINAL_STATUSES,
    Escalation,
    EscalationKind,
    Incident,
)
from steward.incidents.selectors_routing import escalation_next_level
from steward.incidents.services.common import (
    before_of,
    lock,
    not_open_message,
    require,
    save_audited,
    sla_follow_status,
)
from steward.incidents.services.team_assignment import assignee_pick
from steward.sla.models import MetricKind
from steward.sla.selectors import escalation_recipients

# The escalation level an agreement names for a threshold → the incident's hierarchical level.
# "assignee" (the default at 50 percent) leaves the incident with its owner: no level.
SLA_LEVELS = {"team_lead": 1, "service_owner": 2}


def _reason(reason: str) -> str:
    cleaned = " ".join(str(reason).split())
    if not cleaned:
        raise ValidationFailed(_("Say why the incident is escalated."), field="reason")
    if len(cleaned) > 2000:
        raise ValidationFailed(_("At most 2000 characters."), field="reason")
    return cleaned


def _check(incident: Incident, action: str) -> None:
    """``InvalidTransition`` unless the escalation table allows ``action`` now."""
    if incident.status in TERMINAL_STATUSES:
        raise InvalidTransition(not_open_message(incident))
    ESCALATIONS.target(action, incident.status)


def incident_escalate_functional(
    *, actor: Any, incident: Incident, team: Team, reason: str
) -> Incident:
    """Move the incident to ``team`` because the current team cannot restore the service.

    Counts as a reassignment; the incident becomes "assigned" (the new team's strategy may
    pick an agent, otherwise it waits in that team's queue). Errors: ``NotPermitted``,
    ``InvalidTransition`` (closed, cancelled, resolved, on hold), ``ValidationFailed``
    (reason, team_id: inactive), ``BusinessRuleViolation`` (``same_team``).
    """
    require(perms.can_escalate(actor, incident), _("You may not escalate this incident."))
    reason = _reason(reason)
    with transaction.atomic():
        locked = lock(incident)
        _check(locked, "escalate_functional")
        if not team.is_active:
            raise ValidationFailed(
                _("The team %(code)s is inactive.") % {"code": team.code}, field="team_id"
            )
        if team.pk == locked.team_id:
            raise BusinessRuleViolation(
                _("The incident is already with %(team)s.") % {"team": team.code},
                code="same_team",
                field="team_id",
            )
        now = timezone.now()
        before = before_of(locked, ("escalation_level",))
        from_team, from_person = locked.team, locked.assignee
        chosen, _strategy = assignee_pick(team=team, at=now)
        locked.team = team
        locked.assignee = chosen
        locked.status = ESCALATIONS.target("escalate_functional", locked.status)
        locked.reassignment_count += 1
        escalation = Escalation.objects.create(
            incident=locked, kind=EscalationKind.FUNCTIONAL, level=locked.escalation_level,
            actor=actor, at=now, from_team=from_team, to_team=team, from_person=from_person,
            to_person=chosen, reason=reason,
        )
        save_audited(
            locked, actor=actor, action="escalate", before=before, at=now,
            fields=("escalation_level",),
            extra={"kind": EscalationKind.FUNCTIONAL, "reason": reason,
                   "escalation_id": escalation.pk},
        )
        sla_follow_status(locked, now)
        recipients = _team_owners(team, chosen)
        _emit(actor, locked, escalation, recipients)
    return locked


def _team_owners(team: Team, chosen: Person | None) -> tuple[int, ...]:
    if chosen is not None:
        return (chosen.pk,)
    if team.lead_id is not None:
        return (team.lead_id,)
    return tuple(
        Person.objects.filter(memberships__team=team, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def incident_escalate_hierarchical(*, actor: Any, incident: Incident, reason: str) -> Incident:
    """Raise the incident's escalation level: the team lead (1), then the service owner (2),
    then the IT manager of the incident policy (3); a level without an active person (or
    with the current holder) is skipped. The status and the assignee stay as they are.

    Errors: ``NotPermitted``, ``InvalidTransition`` (not open), ``ValidationFailed``
    (reason), ``BusinessRuleViolation`` (``escalation_top``: nobody above).
    """
    require(perms.can_escalate(actor, incident), _("You may not escalate this incident."))
    reason = _reason(reason)
    with transaction.atomic():
        locked = lock(incident)
        _check(locked, "escalate_hierarchical")
        found = escalation_next_level(locked)
        if found is None:
            raise BusinessRuleViolation(
                _("%(number)s is already escalated as high as it can go.")
                % {"number": locked.number},
                code="escalation_top",
            )
        level, manager = found
        escalation = _raise_level(locked, actor=actor, level=level, manager=manager,
                                  reason=reason)
        _emit(actor, locked, escalation, (manager.pk,))
    return locked


def _raise_level(
    locked: Incident,
    *,
    actor: Any,
    level: int,
    manager: Person,
    reason: str,
    extra: dict[str, Any] | None = None,
) -> Escalation:
    """Raise the locked incident to ``level`` held by ``manager``: the evidence row (from the
    previous level's holder, else the assignee) and one ``escalate`` audit entry."""
    now = timezone.now()
    previous = locked.escalations.filter(kind=EscalationKind.HIERARCHICAL).last()
    before = before_of(locked, ("escalation_level",))
    locked.escalation_level = level
    escalation = Escalation.objects.create(
        incident=locked, kind=EscalationKind.HIERARCHICAL, level=level, actor=actor, at=now,
        from_team=locked.team, to_team=locked.team,
        from_person=previous.to_person if previous is not None else locked.assignee,
        to_person=manager, reason=reason,
    )
    save_audited(
        locked, actor=actor, action="escalate", before=before, at=now,
        fields=("escalation_level",),
        extra={"kind": EscalationKind.HIERARCHICAL, "reason": reason,
               "escalated_to": manager.username, "escalation_id": escalation.pk,
               **(extra or {})},
    )
    return escalation


def incident_escalate_for_sla(
    *, incident_id: int, clock_id: int, sla_level: str, percent: int
) -> Escalation | None:
    """Raise the incident's escalation level because its SLA clock ``clock_id`` reached
    ``percent`` of its target; the system acts (no actor, no permission check). Called by the
    ``SlaThresholdReached`` subscriber inside the firing's transaction, so the level, the
    evidence row and the audit entry (``automatic``, ``percent``, ``metric``) commit with the
    warning or breach itself.

    ``sla_level`` is the level the agreement names for the threshold: "team_lead" raises the
    incident to level 1, "service_owner" to level 2, "assignee" (or anything else) to none. A
    level without an active person, or with the current holder, is skipped upwards as by
    ``incident_escalate_hierarchical``. Nothing happens (None) when the incident is not open,
    is already at that level or higher (so a repeated delivery changes nothing), or has nobody
    at or above it. Returns the new ``Escalation`` row.

    Emits ``IncidentEscalated`` in the transaction, but its ``recipient_ids`` leave out the
    people the SLA warning or breach notification already reaches (``escalation_recipients``,
    the same rule the notification uses): the event still records the escalation for every
    subscriber, and notifications do not tell the team lead or service owner twice about one
    threshold. Only a person the SLA message missed (the IT manager when the service owner
    is inactive, say) gets "escalated to you". Raises nothing of its own.
    """
    wanted = SLA_LEVELS.get(sla_level)
    if wanted is None:
        return None
    with transaction.atomic():
        locked = (
            Incident.objects.select_for_update(no_key=True).filter(pk=incident_id).first()
        )
        if (
            locked is None
            or "escalate_hierarchical" not in ESCALATIONS.allowed(locked.status)
            or locked.escalation_level >= wanted
        ):
            return None
        found = escalation_next_level(locked, at_least=wanted)
        if found is None:
            return None
        level, manager = found
        clock, notified = escalation_recipients(clock_id=clock_id, level=sla_level)
        escalation = _raise_level(
            locked, actor=None, level=level, manager=manager,
            reason=_sla_reason(clock.kind, percent),
            extra={"automatic": True, "percent": percent, "metric": clock.kind},
        )
        told = {person.pk for person in notified}
        _emit(None, locked, escalation, () if manager.pk in told else (manager.pk,))
    return escalation


def _sla_reason(metric: str, percent: int) -> str:
    """The evidence's reason, in the active language (the site's, in the SLA worker)."""
    label = str(MetricKind(metric).label) if metric in MetricKind.values else metric
    if percent >= 100:
        return _("SLA breached: %(metric)s target missed.") % {"metric": label}
    return _("SLA warning: %(metric)s at %(percent)s of its target.") % {
        "metric": label,
        "percent": f"{percent}%",
    }


def _emit(
    actor: Any, incident: Incident, escalation: Escalation, recipients: tuple[int, ...]
) -> None:
    emit_in_transaction(
        IncidentEscalated(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=getattr(actor, "pk", None),
            escalation_id=escalation.pk,
            kind=escalation.kind,
            level=escalation.level,
            team_id=incident.team_id,
            recipient_ids=recipients,
            reason=escalation.reason,
        )
    )
