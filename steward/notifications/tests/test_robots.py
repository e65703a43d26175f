"""Webhook, WeCom, DingTalk, Feishu and SMS deliveries to a real HTTP server on 127.0.0.1
that verifies each signature scheme and answers like the real service."""

from __future__ import annotations

import pytest

from steward.core.outbox import OutboxStatus
from steward.notifications.services import (
    delivery_process,
    notification_send,
    robot_delete,
    robot_update,
)
from steward.notifications.tests import factories
from steward.notifications.tests.servers import (
    DINGTALK_SECRET,
    FEISHU_SECRET,
    WEBHOOK_SECRET,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_loopback")]


def send_to(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(event="notification.test", recipients=[person],
                                           context={})
    return notification.deliveries.get()


def test_webhook_posts_signed_json(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="webhook", url=robots.webhook_url, secret=WEBHOOK_SECRET)
    person = factories.person(username="mei", name="李梅", email="mei@example.com",
                              notification_channels=["webhook"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    [received] = robots.requests
    assert received.verified, received.problem
    assert received.headers["content-type"] == "application/json; charset=utf-8"
    assert received.headers["x-steward-event"] == "notification.test"
    assert received.headers["x-steward-delivery"] == str(delivery.pk)
    body = received.json
    assert body["event"] == "notification.test"
    assert body["notification_id"] == delivery.notification_id
    assert body["subject"] == "Steward 测试通知"
    assert body["recipient"] == {"id": person.pk, "username": "mei", "name": "李梅",
                                 "email": "mei@example.com"}
    assert body["record"] is None
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        OutboxStatus.DONE, 1, 200
    )
    assert delivery.response_excerpt == '{"ok": true}'


def test_webhook_with_the_wrong_secret_is_refused_for_good(
    robots, django_capture_on_commit_callbacks,
):
    factories.robot(kind="webhook", url=robots.webhook_url, secret="not-the-shared-secret")
    person = factories.person(notification_channels=["webhook"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    assert [r.problem for r in robots.requests] == ["bad signature"]
    assert (delivery.status, delivery.response_status) == (OutboxStatus.FAILED, 401)
    assert delivery.last_error == "The endpoint answered HTTP 401."


def test_dingtalk_message_is_signed_and_mentions_the_person(
    robots, django_capture_on_commit_callbacks,
):
    factories.robot(kind="dingtalk", url=robots.dingtalk_url, secret=DINGTALK_SECRET)
    person = factories.person(dingtalk_userid="manager4220", language="en",
                              notification_channels=["dingtalk"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    [received] = robots.requests
    assert received.verified, received.problem
    body = received.json
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "Steward test notification"
    assert body["markdown"]["text"].startswith("### Steward test notification\n\n")
    assert body["markdown"]["text"].endswith("@manager4220")
    assert body["at"] == {"atUserIds": ["manager4220"], "isAtAll": False}
    assert (delivery.status, delivery.response_excerpt) == (
        OutboxStatus.DONE, '{"errcode": 0, "errmsg": "ok"}'
    )


def test_dingtalk_error_code_is_a_failure_to_retry(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="dingtalk", url=robots.dingtalk_url, secret="SECwrong")
    person = factories.person(dingtalk_userid="u1", notification_channels=["dingtalk"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    assert [r.problem for r in robots.requests] == ["sign not match"]
    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 1)
    assert delivery.last_error == "The robot answered errcode=310000: sign not match"


def test_feishu_message_is_signed_in_the_body_and_mentions_the_person(
    robots, django_capture_on_commit_callbacks,
):
    factories.robot(kind="feishu", url=robots.feishu_url, secret=FEISHU_SECRET)
    person = factories.person(feishu_userid="ou_7d8a6e6df7621556ce0d21922b676706",
                              language="en", notification_channels=["feishu"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    [received] = robots.requests
    assert received.verified, received.problem
    body = received.json
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["en_us"]
    assert post["title"] == "Steward test notification"
    assert post["content"][0][0] == {"tag": "at",
                                     "user_id": "ou_7d8a6e6df7621556ce0d21922b676706"}
    assert post["content"][0][1]["tag"] == "text"
    assert delivery.status == OutboxStatus.DONE


def test_feishu_error_code_is_a_failure_to_retry(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="feishu", url=robots.feishu_url, secret="wrong")
    person = factories.person(feishu_userid="ou_1", notification_channels=["feishu"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 1)
    assert delivery.last_error == "The robot answered code=19021: sign match fail"


def test_wecom_markdown_mentions_the_person(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="wecom", url=robots.wecom_url)
    person = factories.person(wecom_userid="ZhangSan", notification_channels=["wecom"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    [received] = robots.requests
    assert received.verified, received.problem
    content = received.json["markdown"]["content"]
    assert received.json["msgtype"] == "markdown"
    assert content.startswith("<@ZhangSan>\n**Steward 测试通知**\n")
    assert delivery.status == OutboxStatus.DONE


def test_wecom_error_code_is_a_failure_to_retry(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="wecom", url=robots.url("/cgi-bin/webhook/send?key=revoked"))
    person = factories.person(wecom_userid="ZhangSan", notification_channels=["wecom"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 1)
    assert delivery.last_error == "The robot answered errcode=93000: invalid webhook url"


def test_sms_goes_to_the_configured_provider(sms_provider, django_capture_on_commit_callbacks):
    person = factories.person(phone="+8613800000000", notification_channels=["sms"])

    delivery = send_to(person, django_capture_on_commit_callbacks)

    [received] = sms_provider.requests
    assert received.verified, received.problem
    assert received.json["to"] == "+8613800000000"
    assert received.json["sender"] == "Steward"
    assert received.json["text"].startswith("Steward 测试通知\n")
    assert (delivery.status, delivery.external_id, delivery.response_status) == (
        OutboxStatus.DONE, "sms-0001", 202
    )


def test_removed_robot_fails_its_pending_delivery_for_good(robots):
    robot = factories.robot(kind="webhook", url=robots.webhook_url)
    person = factories.person(notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    robot_delete(actor=factories.admin(), robot=robot)
    delivery = delivery_process(delivery_id=notification.deliveries.get().pk)

    assert delivery is not None
    assert (delivery.status, delivery.last_error) == (
        OutboxStatus.FAILED, "The robot of this delivery was removed."
    )
    assert robots.requests == []


def test_disabled_robot_fails_its_pending_delivery_for_good(robots):
    robot = factories.robot(kind="webhook", url=robots.webhook_url, name="ops hook")
    person = factories.person(notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    robot_update(actor=factories.admin(), robot=robot, changes={"enabled": False})

    delivery = delivery_process(delivery_id=notification.deliveries.get().pk)

    assert delivery is not None
    assert (delivery.status, delivery.last_error) == (
        OutboxStatus.FAILED, "The robot ops hook was disabled."
    )
    assert robots.requests == []
