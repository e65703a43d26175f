"""Reads of the organisation model, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from steward.audit.models import AuditEntry
from steward.audit.selectors import audit_entries
from steward.core.config_cache import cached
from steward.core.errors import NotFound
from steward.core.refs import one
from steward.identity import permissions
from steward.identity.models import ApiToken, Department, Person, Site, SiteGroup, Team


def person_list_for(*, user: Any, query: str = "") -> QuerySet[Person]:
    """The directory for staff; a requester sees only themself."""
    people = Person.objects.prefetch_related("role_grants")
    if not permissions.can_view_directory(user):
        people = people.filter(pk=user.pk)
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(name__icontains=query)
            | Q(name_en__icontains=query)
            | Q(email__icontains=query)
        )
    return people


def person_get_for(*, user: Any, person_id: int) -> Person:
    person = person_list_for(user=user).filter(pk=person_id).first()
    if person is None:
        raise NotFound(_("No such person."))
    return person


def team_list_for(*, user: Any) -> QuerySet[Team]:
    teams = Team.objects.select_related("lead").prefetch_related("memberships")
    if not permissions.can_view_directory(user):
        return teams.filter(memberships__person=user)
    return teams


def team_get_for(*, user: Any, team_id: int) -> Team:
    team = team_list_for(user=user).filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("No such team."))
    return team


def department_list_for(*, user: Any) -> QuerySet[Department]:
    """Departments are not secret: everyone signed in picks theirs in forms."""
    return Department.objects.select_related("parent")


def site_list_for(*, user: Any, region: str = "") -> QuerySet[Site]:
    sites = Site.objects.all()
    return sites.filter(region=region) if region else sites


def token_list_for(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=user)


def token_get_for(*, user: Any, token_id: int) -> ApiToken:
    tokens = ApiToken.objects.all() if permissions.is_admin(user) else token_list_for(user=user)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("No such token."))
    return token


def audit_log_require_reader(*, user: Any) -> None:
    """The global audit log does not exist (404) for anyone but auditors and administrators."""
    if not permissions.can_view_audit_log(user):
        raise NotFound(_("Not found."))


def audit_log_for(*, user: Any, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    """The whole audit log, newest first, for auditors and administrators."""
    audit_log_require_reader(user=user)
    return audit_entries(action=action, object_type=object_type)


def site_group_ids(site_id: int | None) -> frozenset[int]:
    """The site groups a site belongs to. Every membership is read at once (a few hundred
    rows for a chain of stores) and cached per process until the configuration changes
    (``core.config_cache``)."""
    if site_id is None:
        return frozenset()
    memberships = SiteGroup.sites.through

    def build() -> dict[int, frozenset[int]]:
        found: dict[int, set[int]] = {}
        for site, group in memberships.objects.values_list("site_id", "sitegroup_id"):
            found.setdefault(site, set()).add(group)
        return {site: frozenset(groups) for site, groups in found.items()}

    groups = cached(("identity.site_groups",), build, watch=(SiteGroup, memberships))
    return groups.get(site_id, frozenset())


def person_with_org_units(person_id: int) -> Person | None:
    """A person with their department (with its ancestors) and site attached. Inside a
    configuration snapshot those two come from the configuration cache, shared and read-only:
    a new ticket records them and SLA matching walks the department's ancestors, so intake
    reads one small row instead of joining three tables."""
    person = one(Person.objects.filter(pk=person_id))
    if person is None:
        return None
    if person.department_id is not None:
        person.department = _department(person.department_id)
    if person.site_id is not None:
        person.site = _site(person.site_id)
    return person


def _department(department_id: int) -> Department:
    def build() -> Department:
        department = Department.objects.get(pk=department_id)
        node: Department | None = department
        seen = {department.pk}
        while node is not None and node.parent_id is not None and node.parent_id not in seen:
            seen.add(node.parent_id)
            node = node.parent  # loaded here, once: the cached value is read-only
        return department

    return cached(
        ("identity.department", department_id), build, watch=(Department,), snapshot_only=True
    )


def _site(site_id: int) -> Site:
    return cached(
        ("identity.site", site_id),
        lambda: Site.objects.get(pk=site_id),
        watch=(Site,),
        snapshot_only=True,
    )
