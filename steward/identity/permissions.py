"""Who may do what with the organisation records. Pure predicates over roles (and team
membership, which the ticket apps share)."""

from __future__ import annotations

from typing import Any

from steward.core.config_cache import cached
from steward.identity.models import Person, Role, RoleGrant, TeamMembership

STAFF_ROLES = frozenset(
    {Role.AGENT, Role.TEAM_LEAD, Role.SERVICE_OWNER, Role.CHANGE_MANAGER, Role.CAB_MEMBER}
)
# Who works tickets (incidents, service requests) for their teams.
AGENT_ROLES = (Role.AGENT, Role.TEAM_LEAD)


def roles_of(user: Any) -> frozenset[str]:
    """The roles ``user`` holds (kept on the instance for the request; the grants come from
    the configuration cache, which a grant or revocation invalidates at once)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    held: frozenset[str] | None = getattr(user, "_steward_roles", None)
    if held is None:
        person_id = user.pk

        def build() -> frozenset[str]:
            return frozenset(
                RoleGrant.objects.filter(person_id=person_id).values_list("role", flat=True)
            )

        held = cached(
            ("identity.roles", person_id), build, watch=(RoleGrant,), snapshot_only=True
        )
        if user.is_superuser:
            held = held | {Role.ADMINISTRATOR}
        user._steward_roles = held
    return held


def forget_roles(user: Any) -> None:
    if hasattr(user, "_steward_roles"):
        del user._steward_roles


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_admin(user: Any) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def is_auditor(user: Any) -> bool:
    return has_role(user, Role.AUDITOR)


def is_staff_member(user: Any) -> bool:
    """Agents, leads, owners and managers: people who use the console."""
    return has_role(user, *STAFF_ROLES, Role.ADMINISTRATOR, Role.AUDITOR, Role.FINANCE)


def can_manage_organisation(user: Any) -> bool:
    return is_admin(user)


def can_view_directory(user: Any) -> bool:
    """The people directory (names, teams, sites) is for staff, auditors and administrators."""
    return is_staff_member(user)


def can_view_person(user: Any, person: Person) -> bool:
    return user.pk == person.pk or can_view_directory(user)


def can_view_audit_log(user: Any) -> bool:
    return is_admin(user) or is_auditor(user)


def can_write(user: Any) -> bool:
    """Auditors are read-only everywhere, whatever else they hold, unless also administrators."""
    return not (is_auditor(user) and not is_admin(user))


def is_agent(user: Any) -> bool:
    """Works tickets: an agent, a team lead or an administrator (and not read-only)."""
    return can_write(user) and (has_role(user, *AGENT_ROLES) or is_admin(user))


def team_ids_of(user: Any) -> frozenset[int]:
    """The teams ``user`` belongs to (kept on the instance for the request, like roles; inside
    a configuration snapshot from the configuration cache, which a membership change
    invalidates at once)."""
    if user is None or getattr(user, "pk", None) is None:
        return frozenset()
    held: frozenset[int] | None = getattr(user, "_steward_team_ids", None)
    if held is None:
        person_id = user.pk

        def build() -> frozenset[int]:
            return frozenset(
                TeamMembership.objects.filter(person_id=person_id).values_list(
                    "team_id", flat=True
                )
            )

        held = cached(
            ("identity.teams", person_id), build, watch=(TeamMembership,), snapshot_only=True
        )
        user._steward_team_ids = held
    return held


def forget_teams(user: Any) -> None:
    if hasattr(user, "_steward_team_ids"):
        del user._steward_team_ids


def is_team_member(user: Any, team_id: int | None) -> bool:
    return team_id is not None and team_id in team_ids_of(user)
