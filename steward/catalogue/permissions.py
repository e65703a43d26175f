"""Who may change the catalogue: administrators, and service owners for their own services."""

from __future__ import annotations

from typing import Any

from steward.catalogue.models import Service
from steward.identity import permissions
from steward.identity.models import Role


def can_manage_catalogue(user: Any) -> bool:
    return permissions.is_admin(user)


def can_edit_service(user: Any, service: Service) -> bool:
    if permissions.is_admin(user):
        return True
    return permissions.has_role(user, Role.SERVICE_OWNER) and service.owner_id == user.pk
