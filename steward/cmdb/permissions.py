"""Who may read and change the CMDB. Pure predicates over roles and team membership.

Staff (agents, leads, owners, managers, finance, auditors, administrators) read everything;
requesters see nothing (404). Administrators and the members of a CI's support team change
it; auditors never write. Administrators define classes; administrators and change managers
review unauthorised changes. Staff who can write import and push discovery facts (each
row is then checked like a single edit); administrators and change managers take baselines
and plan audits; finance and administrators keep the asset register.
"""

from __future__ import annotations

from typing import Any

from steward.cmdb.models import ConfigurationItem, RedundancyGroup
from steward.identity import permissions
from steward.identity.models import Role, Team


def can_view_cmdb(user: Any) -> bool:
    return permissions.is_staff_member(user)


def can_manage_classes(user: Any) -> bool:
    return permissions.is_admin(user)


def _in_team(user: Any, team_id: int | None) -> bool:
    if team_id is None or not permissions.can_write(user):
        return False
    teams: set[int] | None = getattr(user, "_steward_team_ids", None)
    if teams is None:
        teams = set(user.memberships.values_list("team_id", flat=True))
        user._steward_team_ids = teams
    return team_id in teams


def can_create_ci(user: Any, support_team: Team | None) -> bool:
    """Administrators, or a member of the support team the new CI will have."""
    if permissions.is_admin(user):
        return True
    return support_team is not None and _in_team(user, support_team.pk)


def can_edit_ci(user: Any, ci: ConfigurationItem) -> bool:
    return permissions.is_admin(user) or _in_team(user, ci.support_team_id)


def can_edit_group(user: Any, group: RedundancyGroup) -> bool:
    return permissions.is_admin(user) or _in_team(user, group.support_team_id)


def can_review_changes(user: Any) -> bool:
    return permissions.is_admin(user) or (
        permissions.can_write(user) and permissions.has_role(user, Role.CHANGE_MANAGER)
    )


def can_import(user: Any) -> bool:
    """Administrators and staff who can write; each row is still checked like a single edit."""
    return permissions.is_admin(user) or (
        permissions.is_staff_member(user) and permissions.can_write(user)
    )


def can_manage_baselines(user: Any) -> bool:
    """Baselines and audits: administrators and change managers."""
    return can_review_changes(user)


def can_act_on_finding(user: Any, team_id: int | None) -> bool:
    """Corrective actions: administrators, change managers, and the audit's support team."""
    return can_review_changes(user) or _in_team(user, team_id)


def can_manage_assets(user: Any) -> bool:
    """The asset register and licences: administrators and finance."""
    return permissions.is_admin(user) or (
        permissions.can_write(user) and permissions.has_role(user, Role.FINANCE)
    )
