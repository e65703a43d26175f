"""Routing an incident to a team and an agent, and taking it on.

Process: docs/processes/incidents.md (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import BusinessRuleViolation, ValidationFailed
from steward.core.events import publish
from steward.identity.models import Team
from steward.incidents import permissions
from steward.incidents.events import IncidentAssigned, IncidentStarted
from steward.incidents.models import Incident
from steward.incidents.services.common import (
    before_of,
    lock,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)


def incident_assign(
    *, actor: Any, incident: Incident, team: Team | None = None, assignee: Any = None
) -> Incident:
    """Assign the incident to a team and/or an agent of that team; it becomes "assigned"
    (waiting for the assignee to start). Moving it to another team without naming an agent
    clears the assignee. Moving it away from a team or an agent it already had counts as a
    reassignment (``reassignment_count``, the hop-count KPI).

    Emits ``IncidentAssigned``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``ValidationFailed`` (nothing given, inactive team), ``BusinessRuleViolation``
    (``assignee_not_in_team``: the assignee is not an active agent of the team).
    """
    require(permissions.can_assign(actor, incident), _("You may not assign this incident."))
    if team is None and assignee is None:
        raise ValidationFailed(_("Choose a team or an agent."), field="assignee_id")
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "assign")
        new_team = team if team is not None else locked.team
        if new_team is None:
            raise ValidationFailed(_("Choose a team first."), field="team_id")
        if not new_team.is_active:
            raise ValidationFailed(
                _("The team %(code)s is inactive.") % {"code": new_team.code}, field="team_id"
            )
        if assignee is not None:
            _check_assignee(assignee, new_team)
            new_assignee_id = assignee.pk
        elif new_team.pk == locked.team_id:
            new_assignee_id = locked.assignee_id
        else:
            new_assignee_id = None
        if (
            locked.status == status
            and new_team.pk == locked.team_id
            and new_assignee_id == locked.assignee_id
        ):
            return locked
        before = before_of(locked)
        moved_team = locked.team_id is not None and new_team.pk != locked.team_id
        moved_person = locked.assignee_id is not None and new_assignee_id != locked.assignee_id
        if moved_team or moved_person:
            locked.reassignment_count += 1
        locked.status = status
        locked.team = new_team
        locked.assignee_id = new_assignee_id
        now = timezone.now()
        save_audited(locked, actor=actor, action="assign", before=before, at=now)
        sla_follow_status(locked, now)
        publish(
            IncidentAssigned(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=actor.pk,
                team_id=locked.team_id,
                assignee_id=locked.assignee_id,
            )
        )
    return locked


def _check_assignee(assignee: Any, team: Team) -> None:
    if not (
        assignee.is_active
        and permissions.is_agent(assignee)
        and permissions.is_team_member(assignee, team.pk)
    ):
        raise BusinessRuleViolation(
            _("%(person)s is not an active agent of %(team)s.")
            % {"person": assignee, "team": team.display_name()},
            code="assignee_not_in_team",
            field="assignee_id",
        )


def incident_start(*, actor: Any, incident: Incident) -> Incident:
    """Start work: the incident goes "in progress"; an unassigned incident becomes the actor's.
    Starting is the first response if none was given yet (``first_responded_at``).

    Emits ``IncidentStarted``. Errors: ``NotPermitted``, ``InvalidTransition``.
    """
    require(permissions.can_start(actor, incident), _("You may not work on this incident."))
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "start")
        before = before_of(locked)
        now = timezone.now()
        locked.status = status
        if locked.assignee_id is None:
            locked.assignee = actor
        if locked.first_responded_at is None:
            locked.first_responded_at = now
        save_audited(locked, actor=actor, action="start", before=before, at=now)
        sla_follow_status(locked, now)
        publish(IncidentStarted(incident_id=locked.pk, number=locked.number, actor_id=actor.pk))
    return locked
