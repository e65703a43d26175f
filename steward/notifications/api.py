"""API of the notifications app: the delivery log and channel administration for
administrators, and a test message anyone may send themself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.core.errors import ValidationFailed
from steward.identity.models import Team
from steward.notifications import selectors, services
from steward.notifications.schemas import (
    AllowRuleCreateIn,
    AllowRuleOut,
    DeliveryOut,
    NotificationOut,
    RobotCreateIn,
    RobotOut,
    RobotUpdateIn,
)

router = Router(tags=["notifications"])


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationFailed(_("No such team: %(id)s") % {"id": team_id}, field="team_id")
    return team


@router.get("/deliveries", response=list[DeliveryOut], operation_id="notifications_deliveries_list")
@paginate(CursorPagination, ordering=("-id",))
def deliveries_list(
    request: HttpRequest, status: str = "", channel: str = "", event: str = "",
    recipient_id: int | None = None,
) -> Any:
    return selectors.delivery_list_for(
        user=request.user, status=status, channel=channel, event=event, recipient_id=recipient_id
    )


@router.get("/deliveries/{delivery_id}", response=DeliveryOut,
            operation_id="notifications_deliveries_get")
def deliveries_get(request: HttpRequest, delivery_id: int) -> Any:
    return selectors.delivery_get_for(user=request.user, delivery_id=delivery_id)


@router.post("/deliveries/{delivery_id}/retry", response=DeliveryOut,
             operation_id="notifications_deliveries_retry")
def deliveries_retry(request: HttpRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_get_for(user=request.user, delivery_id=delivery_id)
    return services.delivery_retry(actor=request.user, delivery=delivery)


@router.post("/test", response={201: NotificationOut}, operation_id="notifications_send_test")
def send_test(request: HttpRequest) -> Any:
    return Status(201, services.notification_send_test(actor=request.user))


@router.get("/robots", response=list[RobotOut], operation_id="notifications_robots_list")
@paginate(CursorPagination, ordering=("id",))
def robots_list(request: HttpRequest) -> Any:
    return selectors.robot_list_for(user=request.user)


@router.post("/robots", response={201: RobotOut}, operation_id="notifications_robots_create")
def robots_create(request: HttpRequest, payload: RobotCreateIn) -> Any:
    data = payload.dict()
    team = _team(data.pop("team_id"))
    return Status(201, services.robot_create(actor=request.user, team=team, **data))


@router.get("/robots/{robot_id}", response=RobotOut, operation_id="notifications_robots_get")
def robots_get(request: HttpRequest, robot_id: int) -> Any:
    return selectors.robot_get_for(user=request.user, robot_id=robot_id)


@router.patch("/robots/{robot_id}", response=RobotOut, operation_id="notifications_robots_update")
def robots_update(request: HttpRequest, robot_id: int, payload: RobotUpdateIn) -> Any:
    robot = selectors.robot_get_for(user=request.user, robot_id=robot_id)
    changes = payload.dict(exclude_unset=True)
    if "team_id" in changes:
        changes["team"] = _team(changes.pop("team_id"))
    return services.robot_update(actor=request.user, robot=robot, changes=changes)


@router.delete("/robots/{robot_id}", response={204: None},
               operation_id="notifications_robots_delete")
def robots_delete(request: HttpRequest, robot_id: int) -> Any:
    robot = selectors.robot_get_for(user=request.user, robot_id=robot_id)
    services.robot_delete(actor=request.user, robot=robot)
    return Status(204, None)


@router.get("/egress-rules", response=list[AllowRuleOut],
            operation_id="notifications_egress_rules_list")
@paginate(CursorPagination, ordering=("id",))
def egress_rules_list(request: HttpRequest) -> Any:
    return selectors.allow_rule_list_for(user=request.user)


@router.post("/egress-rules", response={201: AllowRuleOut},
             operation_id="notifications_egress_rules_create")
def egress_rules_create(request: HttpRequest, payload: AllowRuleCreateIn) -> Any:
    rule = services.allow_rule_create(actor=request.user, value=payload.value, note=payload.note)
    return Status(201, rule)


@router.delete("/egress-rules/{rule_id}", response={204: None},
               operation_id="notifications_egress_rules_delete")
def egress_rules_delete(request: HttpRequest, rule_id: int) -> Any:
    rule = selectors.allow_rule_get_for(user=request.user, rule_id=rule_id)
    services.allow_rule_delete(actor=request.user, rule=rule)
    return Status(204, None)
