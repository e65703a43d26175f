"""Who may see which figures. Desk-wide, team, department and site figures are for staff; an
engineer's scorecard (a performance-review document) is for the engineer, the leads of their
teams and managers."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from steward.identity import permissions
from steward.identity.models import Person, Role, TeamMembership

# Roles that see every engineer's scorecard ("managers").
MANAGER_ROLES = (Role.ADMINISTRATOR, Role.AUDITOR, Role.SERVICE_OWNER, Role.CHANGE_MANAGER)


def can_view_reports(user: Any) -> bool:
    return permissions.is_staff_member(user)


def sees_every_engineer(user: Any) -> bool:
    return permissions.has_role(user, *MANAGER_ROLES)


def led_team_ids(user: Any) -> set[int]:
    """Teams ``user`` leads: named as the team's lead, or a team lead who is a member."""
    if not getattr(user, "is_authenticated", False):
        return set()
    q = Q(team__lead_id=user.pk)
    if permissions.has_role(user, Role.TEAM_LEAD):
        q |= Q(person_id=user.pk)
    return set(TeamMembership.objects.filter(q).values_list("team_id", flat=True))


def visible_engineer_ids(user: Any) -> set[int] | None:
    """The people whose scorecards ``user`` may see (None: everyone)."""
    if not can_view_reports(user):
        return set()
    if sees_every_engineer(user):
        return None
    members = TeamMembership.objects.filter(team_id__in=led_team_ids(user))
    return {user.pk, *members.values_list("person_id", flat=True)}


def can_view_scorecard(user: Any, person: Person) -> bool:
    visible = visible_engineer_ids(user)
    return visible is None or person.pk in visible
