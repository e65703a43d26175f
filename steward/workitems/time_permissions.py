"""Who may log and correct time. Pure predicates over roles and team membership.

Staff who work records (agents, team leads, administrators) log their own time. A team lead
corrects the entries of the people in the teams they belong to; administrators any entry.
"""

from __future__ import annotations

from typing import Any

from steward.identity import permissions
from steward.identity.models import Role, TeamMembership

WORKER_ROLES = (Role.AGENT, Role.TEAM_LEAD)


def can_log_time(user: Any) -> bool:
    return permissions.can_write(user) and (
        permissions.has_role(user, *WORKER_ROLES) or permissions.is_admin(user)
    )


def shares_team(user: Any, person_id: int) -> bool:
    mine = TeamMembership.objects.filter(person_id=user.pk).values("team_id")
    return TeamMembership.objects.filter(person_id=person_id, team_id__in=mine).exists()


def can_correct_time_of(user: Any, person_id: int) -> bool:
    """May ``user`` log, change or delete time entries of ``person_id``?"""
    if not can_log_time(user):
        return False
    if permissions.is_admin(user) or user.pk == person_id:
        return True
    return permissions.has_role(user, Role.TEAM_LEAD) and shares_team(user, person_id)


def can_view_time_totals(user: Any) -> bool:
    """Per-person sums across records (cost accounting): finance, team leads, administrators."""
    return permissions.has_role(user, Role.FINANCE, Role.TEAM_LEAD) or permissions.is_admin(user)
