"""Assignment inside a team: the team's strategy, its members' availability, and the pick.

Manual leaves a routed incident unassigned in the team's queue. Round-robin hands incidents
to the available agents of the team in turn (by person id, after the last one it gave one
to). Least-loaded gives it to the available agent with the fewest open incidents assigned,
ties to whoever the strategy served least recently. Both lock the team's ``TeamAssignment``
row for the rest of the transaction, so concurrent creations never take the same turn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import ValidationFailed
from steward.core.events import publish
from steward.identity.models import Person, Team
from steward.incidents import permissions
from steward.incidents import permissions_routing as perms
from steward.incidents.events import IncidentAssigned
from steward.incidents.models import (
    OPEN_STATUSES,
    AssignmentStrategy,
    Incident,
    IncidentStatus,
    MemberAvailability,
    TeamAssignment,
)
from steward.incidents.services.common import before_of, require, save_audited, sla_follow_status


def team_strategy_set(*, actor: Any, team: Team, strategy: str) -> TeamAssignment:
    """Set how ``team`` assigns its incidents. Administrators and the team's lead.

    Errors: ``NotPermitted``; ``ValidationFailed`` (``strategy``).
    """
    require(perms.can_set_strategy(actor, team), _("You may not change this team's assignment."))
    if strategy not in AssignmentStrategy.values:
        raise ValidationFailed(_("Unknown assignment strategy."), field="strategy")
    with transaction.atomic():
        config, _created = TeamAssignment.objects.select_for_update().get_or_create(team=team)
        if config.strategy == strategy:
            return config
        before = config.strategy
        config.strategy = strategy
        config.updated_at = timezone.now()
        config.save(update_fields=["strategy", "updated_at"])
        audit_record(
            actor=actor, obj=team, action="assignment_strategy",
            changes={"strategy": [before, strategy]},
        )
    return config


def member_availability_set(
    *, actor: Any, team: Team, person: Person, available: bool, note: str = ""
) -> MemberAvailability:
    """Mark a member of ``team`` away (no automatic assignments) or back.

    Errors: ``NotPermitted``; ``ValidationFailed`` (``person_id``: not a member; ``note``).
    """
    require(
        perms.can_set_availability(actor, team, person),
        _("You may not change this person's availability."),
    )
    if not permissions.is_team_member(person, team.pk):
        raise ValidationFailed(
            _("%(person)s is not a member of %(team)s.") % {"person": person, "team": team.code},
            field="person_id",
        )
    note = " ".join(str(note).split())
    if len(note) > 200:
        raise ValidationFailed(_("At most 200 characters."), field="note")
    with transaction.atomic():
        row, _created = MemberAvailability.objects.select_for_update().get_or_create(
            team=team, person=person
        )
        if row.is_available == available and row.note == note:
            return row
        before = row.is_available
        row.is_available = available
        row.note = note
        row.updated_at = timezone.now()
        row.save(update_fields=["is_available", "note", "updated_at"])
        audit_record(
            actor=actor, obj=team, action="availability",
            changes={"person": person.username, "available": [before, available], "note": note},
        )
    return row


def _eligible(team: Team) -> list[Person]:
    away = set(
        MemberAvailability.objects.filter(team=team, is_available=False).values_list(
            "person_id", flat=True
        )
    )
    now = timezone.now()
    people = Person.objects.filter(memberships__team=team, is_active=True).order_by("pk")
    return [
        p
        for p in people.distinct()
        if p.pk not in away
        and not (p.locked_until and p.locked_until > now)
        and permissions.is_agent(p)
    ]


def assignee_pick(*, team: Team, at: datetime) -> tuple[Person | None, str]:
    """Pick the next assignee by the team's strategy (or None) and move its cursor; return
    the person and the strategy. Locks the team's row until the caller's transaction ends."""
    with transaction.atomic(savepoint=False):
        config = TeamAssignment.objects.select_for_update().filter(team=team).first()
        if config is None or config.strategy == AssignmentStrategy.MANUAL:
            return None, AssignmentStrategy.MANUAL
        candidates = _eligible(team)
        if not candidates:
            return None, config.strategy
        if config.strategy == AssignmentStrategy.ROUND_ROBIN:
            cursor = config.last_assignee_id or 0
            chosen = next((p for p in candidates if p.pk > cursor), candidates[0])
        else:
            chosen = _least_loaded(team, candidates)
        config.last_assignee = chosen
        config.updated_at = at
        config.save(update_fields=["last_assignee", "updated_at"])
        MemberAvailability.objects.update_or_create(
            team=team, person=chosen, defaults={"last_assigned_at": at}
        )
    return chosen, config.strategy


def _least_loaded(team: Team, candidates: list[Person]) -> Person:
    loads = dict(
        Incident.objects.filter(assignee__in=candidates, status__in=OPEN_STATUSES)
        .values_list("assignee")
        .annotate(n=Count("pk"))
    )
    served = dict(
        MemberAvailability.objects.filter(team=team, person__in=candidates).values_list(
            "person_id", "last_assigned_at"
        )
    )
    never = datetime.min.replace(tzinfo=timezone.get_current_timezone())

    def key(person: Person) -> tuple[int, datetime, int]:
        return (loads.get(person.pk, 0), served.get(person.pk) or never, person.pk)

    return min(candidates, key=key)


def incident_auto_assign(*, incident: Incident, at: datetime) -> Incident:
    """Apply the incident's team's strategy to a new, unassigned incident (the system acts).

    Nothing happens under "manual", or when nobody in the team is available. Otherwise the
    incident becomes "assigned" to the chosen agent, with one audit entry naming the strategy.
    """
    if incident.team is None or incident.assignee_id is not None:
        return incident
    chosen, strategy = assignee_pick(team=incident.team, at=at)
    if chosen is None:
        return incident
    before = before_of(incident)
    incident.assignee = chosen
    incident.status = IncidentStatus.ASSIGNED
    save_audited(
        incident, actor=None, action="assign", before=before, at=at, extra={"strategy": strategy}
    )
    sla_follow_status(incident, at)
    publish(
        IncidentAssigned(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=None,
            team_id=incident.team_id,
            assignee_id=chosen.pk,
        )
    )
    return incident
