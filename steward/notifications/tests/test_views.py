"""Console pages: the delivery log, robots, the allow-list and the test message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.outbox import OutboxStatus
from steward.notifications.models import ChatRobot, Delivery, EgressAllowRule
from steward.notifications.services import delivery_process, notification_send
from steward.notifications.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.admin(language="en"))
    return client


@pytest.fixture
def failed_delivery() -> Delivery:
    factories.robot(kind="webhook", url="http://127.0.0.1:9/hook")
    person = factories.person(name="赵敏", notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    delivery = notification.deliveries.get()
    delivery_process(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_delivery_log_shows_the_table_with_headers(admin_client, failed_delivery):
    response = admin_client.get(reverse("notifications:deliveries"))

    html = response.content.decode()
    assert response.status_code == 200
    for header in ("Time", "Recipient", "Event", "Channel", "Status", "Attempts", "Last error"):
        assert f'<th scope="col">{header}</th>' in html
    assert "赵敏" in html
    assert "Refused: 127.0.0.1" in html
    assert reverse("notifications:delivery_retry", args=[failed_delivery.pk]) in html


def test_delivery_log_is_in_chinese_for_chinese_readers(client, failed_delivery):
    client.force_login(factories.admin(language="zh-hans"))

    response = client.get(reverse("notifications:deliveries"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_delivery_log_filters_by_status(admin_client, failed_delivery):
    response = admin_client.get(reverse("notifications:deliveries"), {"status": "done"})

    assert "No deliveries match." in response.content.decode()


def test_htmx_filter_returns_only_the_table(admin_client, failed_delivery):
    response = admin_client.get(
        reverse("notifications:deliveries"), {"status": "failed"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="delivery-table",
    )

    html = response.content.decode()
    assert html.startswith('<div id="delivery-table">')
    assert "<h1>" not in html


def test_delivery_log_is_404_for_non_administrators(client, failed_delivery):
    client.force_login(factories.person(roles=("agent",), language="en"))

    response = client.get(reverse("notifications:deliveries"))

    assert response.status_code == 404


def test_retry_button_queues_the_delivery_again(admin_client, failed_delivery):
    response = admin_client.post(
        reverse("notifications:delivery_retry", args=[failed_delivery.pk])
    )

    failed_delivery.refresh_from_db()
    assert response.status_code == 302
    assert (failed_delivery.status, failed_delivery.attempts) == (OutboxStatus.PENDING, 0)


def test_htmx_retry_returns_the_row(admin_client, failed_delivery):
    response = admin_client.post(
        reverse("notifications:delivery_retry", args=[failed_delivery.pk]),
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="delivery-{failed_delivery.pk}">')
    assert "Pending" in html


def test_retry_by_non_administrator_is_404_and_changes_nothing(client, failed_delivery):
    client.force_login(factories.person(roles=("agent",), language="en"))

    response = client.post(reverse("notifications:delivery_retry", args=[failed_delivery.pk]))

    failed_delivery.refresh_from_db()
    assert response.status_code == 404
    assert failed_delivery.status == OutboxStatus.FAILED


def test_robot_is_added_from_the_form(admin_client):
    response = admin_client.post(reverse("notifications:robots"), {
        "name": "服务台飞书", "kind": "feishu", "enabled": "on", "secret": "s",
        "url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
    })

    assert response.status_code == 302
    robot = ChatRobot.objects.get()
    assert (robot.name, robot.kind, robot.secret, robot.team) == ("服务台飞书", "feishu", "s", None)


def test_robot_form_error_is_shown_with_422(admin_client):
    factories.robot(kind="feishu", url="https://open.feishu.cn/open-apis/bot/v2/hook/a")

    response = admin_client.post(reverse("notifications:robots"), {
        "name": "second", "kind": "feishu", "enabled": "on",
        "url": "https://open.feishu.cn/open-apis/bot/v2/hook/b",
    })

    assert response.status_code == 422
    assert "An enabled default robot of this kind exists" in response.content.decode()
    assert ChatRobot.objects.count() == 1


def test_robot_list_masks_access_tokens(admin_client):
    factories.robot(kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=t0p")

    response = admin_client.get(reverse("notifications:robots"))

    html = response.content.decode()
    assert "access_token=***" in html
    assert "t0p" not in html


def test_robot_is_edited_keeping_the_secret(admin_client):
    robot = factories.robot(kind="webhook", url="https://example.com/hook", secret="keep")

    response = admin_client.post(reverse("notifications:robot_edit", args=[robot.pk]), {
        "name": "renamed", "kind": "webhook", "url": "", "secret": "",
    })

    robot.refresh_from_db()
    assert response.status_code == 302
    assert (robot.name, robot.url, robot.secret, robot.enabled) == (
        "renamed", "https://example.com/hook", "keep", False
    )


def test_robot_is_removed(admin_client):
    robot = factories.robot(kind="webhook", url="https://example.com/hook")

    response = admin_client.post(reverse("notifications:robot_delete", args=[robot.pk]))

    assert response.status_code == 302
    assert ChatRobot.objects.count() == 0


def test_allow_rule_is_added_and_removed(admin_client):
    added = admin_client.post(reverse("notifications:egress"), {"value": "192.168.10.0/24"})
    rule = EgressAllowRule.objects.get()
    removed = admin_client.post(reverse("notifications:egress_delete", args=[rule.pk]))

    assert (added.status_code, removed.status_code) == (302, 302)
    assert rule.network == "192.168.10.0/24"
    assert EgressAllowRule.objects.count() == 0


def test_invalid_allow_rule_shows_the_error(admin_client):
    response = admin_client.post(reverse("notifications:egress"), {"value": "::/0"})

    assert response.status_code == 422
    assert "Allowing every address" in response.content.decode()


@pytest.mark.parametrize("name", ["notifications:robots", "notifications:egress"])
def test_configuration_pages_are_404_for_non_administrators(client, name):
    client.force_login(factories.person(roles=("agent",), language="en"))

    response = client.get(reverse(name))

    assert response.status_code == 404


def test_anyone_sends_themself_a_test_message_and_sees_the_result(client):
    person = factories.person(email="", notification_channels=["email"], language="en")
    client.force_login(person)

    response = client.post(reverse("notifications:test"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The person has no e-mail address." in html
    assert Delivery.objects.get().notification.recipient == person
