"""Who may change service level agreements: administrators and the service's owner."""

from __future__ import annotations

from typing import Any

from steward.identity import permissions
from steward.identity.models import Role


def can_manage_service_levels(user: Any, service: Any) -> bool:
    """Agreements of ``service`` (None: calendars and other shared definitions)."""
    if permissions.is_admin(user):
        return True
    return (
        service is not None
        and permissions.has_role(user, Role.SERVICE_OWNER)
        and service.owner_id == user.pk
    )
