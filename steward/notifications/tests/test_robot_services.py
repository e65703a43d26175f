"""Service tests of robot administration: validation, conflicts, audit without secrets."""

from __future__ import annotations

import pytest

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.notifications.models import ChatRobot
from steward.notifications.services import (
    masked_url,
    robot_create,
    robot_delete,
    robot_update,
)
from steward.notifications.tests import factories
from steward.testing import factories as org

pytestmark = pytest.mark.django_db

DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=abc123"


def audit_of(robot: ChatRobot) -> list[tuple[str, dict]]:
    return [
        (e.action, e.changes)
        for e in AuditEntry.objects.filter(content_type__model="chatrobot",
                                           object_id=str(robot.pk)).order_by("seq")
    ]


def test_robot_is_created_and_audited_without_its_secrets():
    admin = factories.admin()
    team = org.team()

    robot = robot_create(actor=admin, name="网络组钉钉", kind="dingtalk", url=DINGTALK,
                         secret="SECxyz", team=team)

    assert (robot.name, robot.kind, robot.url, robot.secret, robot.team, robot.enabled) == (
        "网络组钉钉", "dingtalk", DINGTALK, "SECxyz", team, True
    )
    assert audit_of(robot) == [("create", {
        "name": "网络组钉钉", "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=***",
        "secret": "set", "team": team.pk, "enabled": True,
    })]


def test_masked_url_hides_every_query_value():
    assert masked_url("https://h.example/cgi-bin/webhook/send?key=k1&x=2#frag") == (
        "https://h.example/cgi-bin/webhook/send?key=***&x=***"
    )


def test_second_enabled_default_robot_of_a_kind_is_a_conflict():
    factories.robot(kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a")

    with pytest.raises(Conflict):
        robot_create(actor=factories.admin(), name="second", kind="wecom",
                     url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b")

    assert ChatRobot.objects.count() == 1


def test_disabled_robot_does_not_conflict_and_is_not_used():
    factories.robot(kind="wecom", url="https://a.example/hook", enabled=False)

    robot = robot_create(actor=factories.admin(), name="live", kind="wecom",
                         url="https://b.example/hook")

    assert ChatRobot.objects.filter(enabled=True).get() == robot


@pytest.mark.parametrize(
    ("_case", "fields", "field"),
    [
        ("bad url", {"url": "not a url"}, "url"),
        ("bad kind", {"kind": "telegram"}, "kind"),
        ("not http", {"url": "ftp://example.com/hook"}, "url"),
    ],
)
def test_invalid_robot_is_refused(_case, fields, field):
    values = {"name": "r", "kind": "webhook", "url": "https://example.com/hook", **fields}

    with pytest.raises(ValidationFailed) as caught:
        robot_create(actor=factories.admin(), **values)

    assert caught.value.field == field
    assert ChatRobot.objects.count() == 0


def test_update_keeps_the_secret_when_none_is_given_and_audits_only_changes():
    robot = factories.robot(kind="feishu", url="https://open.feishu.cn/open-apis/bot/v2/hook/x",
                            secret="s1")
    admin = factories.admin()

    robot_update(actor=admin, robot=robot, changes={"enabled": False, "secret": "", "url": ""})

    robot.refresh_from_db()
    assert (robot.enabled, robot.secret, robot.url) == (
        False, "s1", "https://open.feishu.cn/open-apis/bot/v2/hook/x"
    )
    assert audit_of(robot)[1:] == [("update", {"enabled": [True, False]})]


def test_new_secret_and_token_are_audited_as_changed_but_not_shown():
    robot = factories.robot(kind="dingtalk", url=DINGTALK, secret="old")

    robot_update(actor=factories.admin(), robot=robot, changes={
        "secret": "new", "url": "https://oapi.dingtalk.com/robot/send?access_token=zzz",
    })

    assert audit_of(robot)[1:] == [("update", {
        "secret": ["set", "changed"],
        "url": ["https://oapi.dingtalk.com/robot/send?access_token=***", "changed"],
    })]


def test_delete_is_audited():
    robot = factories.robot(kind="webhook", url="https://example.com/hook")
    admin = factories.admin()

    robot_delete(actor=admin, robot=robot)

    assert ChatRobot.objects.count() == 0
    assert AuditEntry.objects.filter(content_type__model="chatrobot", action="delete",
                                     actor=admin).count() == 1


def test_non_administrator_cannot_manage_robots():
    agent = factories.person(roles=("agent",))
    robot = factories.robot(kind="webhook", url="https://example.com/hook")
    audit_before = AuditEntry.objects.count()

    with pytest.raises(NotPermitted):
        robot_create(actor=agent, name="x", kind="webhook", url="https://example.com/x")
    with pytest.raises(NotPermitted):
        robot_update(actor=agent, robot=robot, changes={"enabled": False})
    with pytest.raises(NotPermitted):
        robot_delete(actor=agent, robot=robot)

    robot.refresh_from_db()
    assert (ChatRobot.objects.count(), robot.enabled) == (1, True)
    assert AuditEntry.objects.count() == audit_before
