"""Reads of notifications, deliveries, robots and allow rules, scoped to what the user may see.

The delivery log and the channel configuration exist only for administrators: anyone else
gets ``NotFound``, never a hint that they exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from steward.core.config_cache import cached
from steward.core.errors import NotFound
from steward.identity.models import Person, Team
from steward.notifications import permissions
from steward.notifications.models import (
    ChatRobot,
    Delivery,
    EgressAllowRule,
    MessageTemplate,
    Notification,
    RobotKind,
)

DELIVERY_STATUSES = ("pending", "processing", "done", "failed", "skipped")


def _require_admin_view(user: Any) -> None:
    if not permissions.can_view_delivery_log(user):
        raise NotFound(_("Not found."))


def delivery_list_for(
    *,
    user: Any,
    status: str = "",
    channel: str = "",
    event: str = "",
    recipient_id: int | None = None,
) -> QuerySet[Delivery]:
    """The delivery log, newest first. ``status`` also accepts ``skipped``."""
    _require_admin_view(user)
    deliveries = Delivery.objects.select_related("notification__recipient", "robot")
    if status == "skipped":
        deliveries = deliveries.filter(skipped=True)
    elif status:
        deliveries = deliveries.filter(status=status, skipped=False)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    if event:
        deliveries = deliveries.filter(notification__event=event)
    if recipient_id is not None:
        deliveries = deliveries.filter(notification__recipient_id=recipient_id)
    return deliveries.order_by("-id")


def delivery_get_for(*, user: Any, delivery_id: int) -> Delivery:
    delivery = delivery_list_for(user=user).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("No such delivery."))
    return delivery


def robot_list_for(*, user: Any) -> QuerySet[ChatRobot]:
    if not permissions.can_manage_channels(user):
        raise NotFound(_("Not found."))
    return ChatRobot.objects.select_related("team").order_by("kind", "name")


def robot_get_for(*, user: Any, robot_id: int) -> ChatRobot:
    robot = robot_list_for(user=user).filter(pk=robot_id).first()
    if robot is None:
        raise NotFound(_("No such robot."))
    return robot


def allow_rule_list_for(*, user: Any) -> QuerySet[EgressAllowRule]:
    if not permissions.can_manage_channels(user):
        raise NotFound(_("Not found."))
    return EgressAllowRule.objects.select_related("created_by").order_by("network", "host")


def allow_rule_get_for(*, user: Any, rule_id: int) -> EgressAllowRule:
    rule = allow_rule_list_for(user=user).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("No such allow rule."))
    return rule


# Reads used by the services (no user scoping: the system itself is asking).


def allow_rules() -> list[EgressAllowRule]:
    return list(EgressAllowRule.objects.all())


def template_for(*, event: str, language: str) -> MessageTemplate | None:
    """The event's template in ``language``, else in any language (zh-hans first).

    Cached per process until the configuration changes (``core.config_cache``): the
    instance is shared, so read it and never change it."""

    def build() -> dict[str, MessageTemplate]:
        return {t.language: t for t in MessageTemplate.objects.filter(event=event)}

    templates = cached(("notifications.templates", event), build, watch=(MessageTemplate,))
    return templates.get(language) or templates.get("zh-hans") or next(
        iter(templates.values()), None
    )


def robot_for(*, person: Person, kind: RobotKind) -> ChatRobot | None:
    """The enabled robot of ``kind`` for one of ``person``'s active teams, else the default."""
    teams = Team.objects.filter(memberships__person=person, is_active=True)
    robots = ChatRobot.objects.filter(kind=kind, enabled=True)
    return (
        robots.filter(team__in=teams).order_by("team__code", "id").first()
        or robots.filter(team__isnull=True).first()
    )


def thread_root(*, notification: Notification) -> Notification | None:
    """The first earlier notification e-mailed to the same person in the same thread."""
    if not notification.thread_key:
        return None
    return (
        Notification.objects.filter(
            recipient_id=notification.recipient_id,
            thread_key=notification.thread_key,
            id__lt=notification.pk,
            deliveries__channel="email",
            deliveries__skipped=False,
        )
        .order_by("id")
        .first()
    )
