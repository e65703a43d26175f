"""Services and categories: create, edit, customers, dependencies (no cycles)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.catalogue import permissions
from steward.catalogue.models import Service, ServiceCategory
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Department, Role, SiteGroup
from steward.identity.permissions import has_role
from steward.identity.services.common import apply_changes, audited_create

SERVICE_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "description_en",
    "kind",
    "category",
    "owner",
    "support_team",
    "criticality",
    "lifecycle",
    "visibility",
    "availability_target",
    "keywords",
)


def _check_owner(owner: Any) -> None:
    """A service's owner holds the service-owner role (or is an administrator)."""
    if owner is not None and not has_role(owner, Role.SERVICE_OWNER, Role.ADMINISTRATOR):
        raise ValidationFailed(
            _("%(name)s does not hold the service owner role.") % {"name": owner},
            field="owner",
        )


def _require_catalogue_admin(actor: Any) -> None:
    if actor is not None and not permissions.can_manage_catalogue(actor):
        raise NotPermitted(_("Only administrators can change the catalogue structure."))


def category_create(*, actor: Any, code: str, name: str, **fields: Any) -> ServiceCategory:
    """Create a portal category. Administrators only."""
    _require_catalogue_admin(actor)
    with transaction.atomic():
        return audited_create(
            ServiceCategory(code=code, name=name, **fields),
            actor=actor,
            fields=("code", "name", "name_en", "position", "icon"),
        )


def service_create(*, actor: Any, code: str, name: str, **fields: Any) -> Service:
    """Add a service to the catalogue. Administrators only."""
    _require_catalogue_admin(actor)
    _check_owner(fields.get("owner"))
    with transaction.atomic():
        if Service.objects.filter(code__iexact=code).exists():
            raise ValidationFailed(_("The code %(code)s is taken.") % {"code": code}, field="code")
        return audited_create(
            Service(code=code, name=name, **fields), actor=actor, fields=SERVICE_FIELDS
        )


def service_update(*, actor: Any, service: Service, changes: dict[str, Any]) -> Service:
    """Edit a service; its version goes up by one with every change that alters something."""
    if actor is not None and not permissions.can_edit_service(actor, service):
        raise NotPermitted(_("You may not change this service."))
    if "owner" in changes:
        _check_owner(changes["owner"])
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        locked.version += 1
        changed = apply_changes(
            locked,
            actor=actor,
            changes=changes,
            allowed=[f for f in SERVICE_FIELDS if f != "code"],
            extra_fields=["version"],
        )
        if not changed:
            locked.version -= 1
        return locked


def service_set_customers(
    *,
    actor: Any,
    service: Service,
    departments: Iterable[Department] = (),
    site_groups: Iterable[SiteGroup] = (),
) -> Service:
    """Replace the customers (departments and site groups) that use a service."""
    if actor is not None and not permissions.can_edit_service(actor, service):
        raise NotPermitted(_("You may not change this service."))
    departments, site_groups = list(departments), list(site_groups)
    with transaction.atomic():
        before = {
            "departments": sorted(service.customer_departments.values_list("code", flat=True)),
            "site_groups": sorted(service.customer_site_groups.values_list("code", flat=True)),
        }
        service.customer_departments.set(departments)
        service.customer_site_groups.set(site_groups)
        after = {
            "departments": sorted(d.code for d in departments),
            "site_groups": sorted(g.code for g in site_groups),
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            audit_record(actor=actor, obj=service, action="customers", changes=changes)
    return service


def service_set_dependencies(
    *, actor: Any, service: Service, depends_on: Iterable[Service]
) -> Service:
    """Replace what a service depends on. A dependency cycle is refused."""
    if actor is not None and not permissions.can_edit_service(actor, service):
        raise NotPermitted(_("You may not change this service."))
    targets = list(depends_on)
    with transaction.atomic():
        for target in targets:
            if target.pk == service.pk or _reaches(target, service):
                raise ValidationFailed(
                    _("%(a)s already depends on %(b)s; that would make a cycle.")
                    % {"a": target.code, "b": service.code},
                    field="depends_on",
                )
        before = sorted(service.depends_on.values_list("code", flat=True))
        service.depends_on.set(targets)
        after = sorted(t.code for t in targets)
        if before != after:
            audit_record(
                actor=actor,
                obj=service,
                action="dependencies",
                changes={"depends_on": [before, after]},
            )
    return service


def _reaches(start: Service, goal: Service) -> bool:
    """Does ``start`` depend, directly or not, on ``goal``?"""
    through = Service.depends_on.through
    frontier, seen = {start.pk}, {start.pk}
    while frontier:
        frontier = (
            set(
                through.objects.filter(from_service_id__in=frontier).values_list(
                    "to_service_id", flat=True
                )
            )
            - seen
        )
        if goal.pk in frontier:
            return True
        seen |= frontier
    return False
