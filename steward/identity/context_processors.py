"""Template context: the signed-in person's roles, for showing only what they may use."""

from __future__ import annotations

from django.http import HttpRequest

from steward.identity import permissions


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    held = permissions.roles_of(user)
    return {
        "steward_roles": held,
        "is_steward_admin": permissions.is_admin(user),
        "is_steward_staff": permissions.is_staff_member(user),
        "can_view_audit": permissions.can_view_audit_log(user),
    }
