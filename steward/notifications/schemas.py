"""API schemas of the notifications app."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from steward.identity.models import NotificationChannelKind
from steward.notifications.models import ChatRobot, Delivery, RobotKind
from steward.notifications.services import masked_url


class DeliveryOut(Schema):
    id: int
    notification_id: int
    event: str
    recipient_id: int
    recipient_name: str
    channel: NotificationChannelKind
    status: str
    target: str
    robot_id: int | None
    attempts: int
    next_attempt_at: datetime
    last_error: str
    external_id: str
    response_status: int | None
    response_excerpt: str
    created_at: datetime
    delivered_at: datetime | None

    @staticmethod
    def resolve_event(obj: Delivery) -> str:
        return obj.notification.event

    @staticmethod
    def resolve_recipient_id(obj: Delivery) -> int:
        return obj.notification.recipient_id

    @staticmethod
    def resolve_recipient_name(obj: Delivery) -> str:
        return str(obj.notification.recipient)

    @staticmethod
    def resolve_status(obj: Delivery) -> str:
        return obj.display_status

    @staticmethod
    def resolve_created_at(obj: Delivery) -> datetime:
        return obj.notification.created_at


class NotificationOut(Schema):
    id: int
    event: str
    recipient_id: int
    language: str
    subject: str
    body: str
    link: str
    created_at: datetime
    deliveries: list[DeliveryOut] = Field(default_factory=list)

    @staticmethod
    def resolve_deliveries(obj: object) -> list[Delivery]:
        return list(
            obj.deliveries.select_related("notification__recipient").order_by("id")  # type: ignore[attr-defined]
        )


class RobotOut(Schema):
    id: int
    name: str
    kind: RobotKind
    url: str
    has_secret: bool
    team_id: int | None
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_url(obj: ChatRobot) -> str:
        return masked_url(obj.url)

    @staticmethod
    def resolve_has_secret(obj: ChatRobot) -> bool:
        return bool(obj.secret)


class RobotCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: RobotKind
    url: str = Field(min_length=1, max_length=500)
    secret: str = Field("", max_length=200)
    team_id: int | None = None
    enabled: bool = True


class RobotUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: RobotKind | None = None
    url: str | None = Field(None, max_length=500)
    secret: str | None = Field(None, max_length=200)
    team_id: int | None = None
    enabled: bool | None = None


class AllowRuleOut(Schema):
    id: int
    network: str
    host: str
    note: str
    created_by_id: int | None
    created_at: datetime


class AllowRuleCreateIn(Schema):
    value: str = Field(
        min_length=1, max_length=253, description="A CIDR, an address or a host name."
    )
    note: str = Field("", max_length=200)
