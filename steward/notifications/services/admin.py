"""Administering channels: chat robots and webhooks, and the egress allow-list. Audited."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Team
from steward.notifications import permissions
from steward.notifications.models import ChatRobot, EgressAllowRule

ROBOT_FIELDS = ("name", "kind", "url", "secret", "team", "enabled")
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


def masked_url(url: str) -> str:
    """The URL with query values hidden: robot URLs carry their access token there."""
    parts = urlsplit(url)
    query = urlencode([(key, "***") for key, _value in parse_qsl(parts.query)], safe="*")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _require_admin(actor: Any) -> None:
    if not permissions.can_manage_channels(actor):
        raise NotPermitted(_("Only administrators can manage notification channels."))


def _validate(obj: models.Model) -> None:
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ValidationFailed(
            f"{field}: {' '.join(messages)}", field=None if field == "__all__" else field
        ) from None


def _robot_state(robot: ChatRobot) -> dict[str, Any]:
    return {
        "name": robot.name, "kind": robot.kind, "url": masked_url(robot.url),
        "secret": "set" if robot.secret else "", "team": robot.team_id, "enabled": robot.enabled,
    }


def _raw_state(robot: ChatRobot) -> dict[str, Any]:
    return {name: getattr(robot, "team_id" if name == "team" else name) for name in ROBOT_FIELDS}


def _check_robot_conflicts(robot: ChatRobot) -> None:
    others = ChatRobot.objects.exclude(pk=robot.pk)
    if others.filter(name=robot.name).exists():
        raise Conflict(_("A robot named %(name)s exists.") % {"name": robot.name}, field="name")
    if robot.enabled and others.filter(kind=robot.kind, team=robot.team, enabled=True).exists():
        raise Conflict(
            _("An enabled robot of this kind already serves this team; disable it first.")
            if robot.team_id else
            _("An enabled default robot of this kind exists; disable it first."),
            field="team",
        )


def _save(robot: ChatRobot, **kwargs: Any) -> None:
    """Save; a concurrent administrator winning the unique constraints is a ``Conflict``."""
    try:
        with transaction.atomic():
            robot.save(**kwargs)
    except IntegrityError:
        message = _("Another administrator changed the robots; reload and try again.")
        raise Conflict(message) from None


def robot_create(
    *, actor: Any, name: str, kind: str, url: str, secret: str = "", team: Team | None = None,
    enabled: bool = True,
) -> ChatRobot:
    """Add a chat robot or webhook. Administrators only; raises ``Conflict`` on a duplicate."""
    _require_admin(actor)
    robot = ChatRobot(name=name, kind=kind, url=url, secret=secret, team=team, enabled=enabled)
    with transaction.atomic():
        _validate(robot)
        _check_robot_conflicts(robot)
        _save(robot)
        audit_record(actor=actor, obj=robot, action="create", changes=_robot_state(robot))
    return robot


def robot_update(*, actor: Any, robot: ChatRobot, changes: dict[str, Any]) -> ChatRobot:
    """Change a robot's fields (``secret``/``url`` of None or "" keep the current value)."""
    _require_admin(actor)
    unknown = sorted(set(changes) - set(ROBOT_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    with transaction.atomic():
        locked = ChatRobot.objects.select_for_update(no_key=True).get(pk=robot.pk)
        raw_before, shown_before = _raw_state(locked), _robot_state(locked)
        for name, value in changes.items():
            if name in {"secret", "url"} and not value:
                continue
            setattr(locked, name, value)
        _validate(locked)
        _check_robot_conflicts(locked)
        raw_after, shown_after = _raw_state(locked), _robot_state(locked)
        changed = [name for name in ROBOT_FIELDS if raw_before[name] != raw_after[name]]
        if changed:
            _save(locked, update_fields=[*changed, "updated_at"])
            audit_record(actor=actor, obj=locked, action="update", changes={
                # Secrets are never written to the audit trail, only that they changed.
                name: [shown_before[name], shown_after[name]
                       if shown_after[name] != shown_before[name] else "changed"]
                for name in changed
            })
    return locked


def robot_delete(*, actor: Any, robot: ChatRobot) -> None:
    """Remove a robot. Past deliveries keep their log entry without the robot."""
    _require_admin(actor)
    with transaction.atomic():
        audit_record(actor=actor, obj=robot, action="delete", changes=_robot_state(robot))
        robot.delete()


def _parse_rule(value: str) -> tuple[str, str]:
    """``(network, host)`` for a CIDR/address or a host name; raises ``ValidationFailed``."""
    text = value.strip().lower().rstrip(".")
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        if _HOST.match(text):
            return "", text
        raise ValidationFailed(
            _("Enter a network such as 10.1.0.0/16, an address, or a host name."), field="value"
        ) from None
    if network.prefixlen == 0:
        raise ValidationFailed(
            _("Allowing every address would switch the guard off; name a smaller network."),
            field="value",
        )
    return str(network), ""


def allow_rule_create(*, actor: Any, value: str, note: str = "") -> EgressAllowRule:
    """Allow outbound requests to an internal network or host. Administrators only."""
    _require_admin(actor)
    network, host = _parse_rule(value)
    with transaction.atomic():
        if EgressAllowRule.objects.filter(network=network, host=host).exists():
            raise Conflict(_("This network or host is already allowed."), field="value")
        rule = EgressAllowRule(network=network, host=host, note=note.strip(), created_by=actor)
        _validate(rule)
        rule.save()
        audit_record(
            actor=actor, obj=rule, action="create",
            changes={"network": network, "host": host, "note": rule.note},
        )
    return rule


def allow_rule_delete(*, actor: Any, rule: EgressAllowRule) -> None:
    """Withdraw an allow rule: later requests to that network or host are refused again."""
    _require_admin(actor)
    with transaction.atomic():
        audit_record(
            actor=actor, obj=rule, action="delete",
            changes={"network": rule.network, "host": rule.host, "note": rule.note},
        )
        rule.delete()
