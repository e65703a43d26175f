"""Teams, departments and sites."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import ValidationFailed
from steward.identity import permissions
from steward.identity.models import Department, Person, Site, SiteGroup, Team, TeamMembership
from steward.identity.services.common import audited_create, audited_update, require_admin

TEAM_FIELDS = ("code", "name", "name_en", "email", "lead", "is_active")
DEPARTMENT_FIELDS = ("code", "name", "name_en", "parent", "head", "cost_centre")
SITE_FIELDS = (
    "code",
    "name",
    "name_en",
    "kind",
    "region",
    "address",
    "time_zone",
    "department",
    "is_active",
)


def team_create(*, actor: Any, code: str, name: str, **fields: Any) -> Team:
    """Create a support team. Administrators only."""
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        return audited_create(Team(code=code, name=name, **fields), actor=actor, fields=TEAM_FIELDS)


def team_update(*, actor: Any, team: Team, changes: dict[str, Any]) -> Team:
    require_admin(actor)
    with transaction.atomic():
        return audited_update(team, actor=actor, changes=changes, allowed=TEAM_FIELDS)


def team_set_members(*, actor: Any, team: Team, members: Iterable[Person]) -> Team:
    """Replace the members of a team; the lead is always a member."""
    if actor is not None:
        require_admin(actor)
    members = list(members)
    wanted = {p.pk for p in members} | ({team.lead_id} if team.lead_id else set())
    for person in members:
        permissions.forget_teams(person)
    with transaction.atomic():
        current = set(team.memberships.values_list("person_id", flat=True))
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=team, person_id=pk) for pk in sorted(wanted - current)]
        )
        team.memberships.filter(person_id__in=current - wanted).delete()
        if wanted != current:
            audit_record(
                actor=actor,
                obj=team,
                action="members",
                changes={"members": [sorted(current), sorted(wanted)]},
            )
    return team


def department_create(*, actor: Any, code: str, name: str, **fields: Any) -> Department:
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        return audited_create(
            Department(code=code, name=name, **fields), actor=actor, fields=DEPARTMENT_FIELDS
        )


def department_update(*, actor: Any, department: Department, changes: dict[str, Any]) -> Department:
    require_admin(actor)
    parent = changes.get("parent")
    with transaction.atomic():
        if parent is not None:
            node: Department | None = (
                parent if isinstance(parent, Department) else (Department.objects.get(pk=parent))
            )
            while node is not None:
                if node.pk == department.pk:
                    raise ValidationFailed(
                        _("A department cannot be inside itself."), field="parent"
                    )
                node = node.parent
        return audited_update(department, actor=actor, changes=changes, allowed=DEPARTMENT_FIELDS)


def site_create(*, actor: Any, code: str, name: str, **fields: Any) -> Site:
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        return audited_create(Site(code=code, name=name, **fields), actor=actor, fields=SITE_FIELDS)


def site_update(*, actor: Any, site: Site, changes: dict[str, Any]) -> Site:
    require_admin(actor)
    with transaction.atomic():
        return audited_update(site, actor=actor, changes=changes, allowed=SITE_FIELDS)


def site_group_create(
    *, actor: Any, code: str, name: str, sites: Iterable[Site] = (), **fields: Any
) -> SiteGroup:
    """Name a set of sites (e.g. all stores of a region) that buys services together."""
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        group = audited_create(
            SiteGroup(code=code, name=name, **fields),
            actor=actor,
            fields=("code", "name", "name_en"),
        )
        return site_group_set_sites(actor=actor, group=group, sites=sites)


def site_group_set_sites(*, actor: Any, group: SiteGroup, sites: Iterable[Site]) -> SiteGroup:
    if actor is not None:
        require_admin(actor)
    wanted = sorted(site.code for site in sites)
    with transaction.atomic():
        before = sorted(group.sites.values_list("code", flat=True))
        if before != wanted:
            group.sites.set(Site.objects.filter(code__in=wanted))
            audit_record(
                actor=actor, obj=group, action="sites", changes={"sites": [before, wanted]}
            )
    return group
