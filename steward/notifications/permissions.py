"""Who may do what with notifications. Pure predicates over roles."""

from __future__ import annotations

from typing import Any

from steward.identity import permissions


def can_view_delivery_log(user: Any) -> bool:
    """The delivery log names recipients and addresses: administrators only."""
    return permissions.is_admin(user)


def can_manage_channels(user: Any) -> bool:
    """Robots, webhooks and the egress allow-list are administered, like the organisation."""
    return permissions.is_admin(user)


def can_retry_delivery(user: Any) -> bool:
    return permissions.is_admin(user)


def can_send_test(user: Any) -> bool:
    """Anyone signed in may send themself a test message."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
