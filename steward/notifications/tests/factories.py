"""Factories for the notification tests: built through the services, as real code does."""

from __future__ import annotations

import itertools
from typing import Any

from steward.identity.models import Person, Role, Team
from steward.notifications import services
from steward.notifications.models import ChatRobot, EgressAllowRule
from steward.testing import factories

_seq = itertools.count(1)


def admin(**fields: Any) -> Person:
    return factories.person(roles=(Role.ADMINISTRATOR,), **fields)


def person(**fields: Any) -> Person:
    """A requester; ``notification_channels`` defaults to e-mail as in the identity model."""
    return factories.person(**fields)


def robot(*, kind: str, url: str, secret: str = "", team: Team | None = None,
          enabled: bool = True, name: str | None = None) -> ChatRobot:
    return services.robot_create(
        actor=admin(), name=name or f"{kind}-{next(_seq)}", kind=kind, url=url, secret=secret,
        team=team, enabled=enabled,
    )


def allow_rule(value: str = "127.0.0.1", note: str = "test servers") -> EgressAllowRule:
    return services.allow_rule_create(actor=admin(), value=value, note=note)
