"""API wiring: the delivery log and channel administration for administrators (404 for anyone
else, with nothing changed), and the test message for everyone."""

from __future__ import annotations

import json

import pytest

from steward.audit.models import AuditEntry
from steward.core.outbox import OutboxStatus
from steward.notifications.models import ChatRobot, Delivery, EgressAllowRule
from steward.notifications.services import delivery_process, notification_send
from steward.notifications.tests import factories
from steward.testing import factories as org

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


def post(client, path, data=None):
    return client.post(f"{BASE}{path}", data=json.dumps(data or {}),
                       content_type="application/json")


def patch(client, path, data):
    return client.patch(f"{BASE}{path}", data=json.dumps(data), content_type="application/json")


@pytest.fixture
def admin_client(client):
    client.force_login(factories.admin())
    return client


@pytest.fixture
def agent_client(client):
    client.force_login(factories.person(roles=("agent",)))
    return client


@pytest.fixture
def failed_delivery(settings) -> Delivery:
    """A webhook delivery that failed for good: its URL is internal and not allow-listed."""
    factories.robot(kind="webhook", url="http://127.0.0.1:9/hook")
    person = factories.person(notification_channels=["webhook"])
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})
    delivery = notification.deliveries.get()
    delivery_process(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_administrator_lists_deliveries_filtered_by_status(admin_client, failed_delivery):
    person = factories.person(email="", notification_channels=["email"])
    notification_send(event="notification.test", recipients=[person], context={})

    failed = admin_client.get(f"{BASE}/deliveries", {"status": "failed"})
    skipped = admin_client.get(f"{BASE}/deliveries", {"status": "skipped"})

    assert failed.status_code == 200
    [row] = failed.json()["results"]
    assert (row["id"], row["status"], row["channel"], row["event"], row["attempts"]) == (
        failed_delivery.pk, "failed", "webhook", "notification.test", 1
    )
    assert row["last_error"].startswith("Refused: 127.0.0.1")
    assert [r["status"] for r in skipped.json()["results"]] == ["skipped"]


def test_delivery_list_query_count_is_capped(admin_client, django_assert_max_num_queries):
    people = [factories.person(email="", notification_channels=["email"]) for _ in range(5)]
    notification_send(event="notification.test", recipients=people, context={})

    with django_assert_max_num_queries(8):
        response = admin_client.get(f"{BASE}/deliveries")

    assert len(response.json()["results"]) == 5


@pytest.mark.parametrize(
    ("_case", "path"),
    [
        ("list", "/deliveries"),
        ("detail", "/deliveries/{id}"),
        ("robots", "/robots"),
        ("egress rules", "/egress-rules"),
    ],
)
def test_non_administrator_gets_404_on_the_log_and_the_configuration(
    agent_client, failed_delivery, _case, path,
):
    response = agent_client.get(f"{BASE}{path.format(id=failed_delivery.pk)}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_non_administrator_retry_is_404_and_changes_nothing(agent_client, failed_delivery):
    response = post(agent_client, f"/deliveries/{failed_delivery.pk}/retry")

    failed_delivery.refresh_from_db()
    assert response.status_code == 404
    assert (failed_delivery.status, failed_delivery.attempts) == (OutboxStatus.FAILED, 1)
    assert not AuditEntry.objects.filter(action="retry").exists()


def test_administrator_retries_a_failed_delivery(admin_client, failed_delivery):
    response = post(admin_client, f"/deliveries/{failed_delivery.pk}/retry")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)


def test_retrying_a_delivered_message_is_a_conflict(admin_client, failed_delivery):
    post(admin_client, f"/deliveries/{failed_delivery.pk}/retry")

    response = post(admin_client, f"/deliveries/{failed_delivery.pk}/retry")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_robot_administration_never_shows_secrets(admin_client):
    team = org.team()

    created = post(admin_client, "/robots", {
        "name": "ERP WeCom", "kind": "wecom", "team_id": team.pk, "secret": "",
        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key",
    })
    robot_id = created.json()["id"]
    updated = patch(admin_client, f"/robots/{robot_id}", {"enabled": False, "secret": "s3"})
    listed = admin_client.get(f"{BASE}/robots")
    deleted = admin_client.delete(f"{BASE}/robots/{robot_id}")

    assert created.status_code == 201
    assert created.json()["url"] == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***"
    assert (created.json()["team_id"], created.json()["has_secret"]) == (team.pk, False)
    assert (updated.json()["enabled"], updated.json()["has_secret"]) == (False, True)
    assert "secret-key" not in listed.content.decode()
    assert deleted.status_code == 204
    assert ChatRobot.objects.count() == 0


def test_robot_with_an_unknown_team_is_invalid(admin_client):
    response = post(admin_client, "/robots", {
        "name": "x", "kind": "webhook", "url": "https://example.com/h", "team_id": 999999,
    })

    assert response.status_code == 422
    assert response.json()["field"] == "team_id"
    assert ChatRobot.objects.count() == 0


def test_non_administrator_cannot_add_a_robot(agent_client):
    response = post(agent_client, "/robots", {
        "name": "x", "kind": "webhook", "url": "https://example.com/h",
    })

    assert response.status_code == 403
    assert ChatRobot.objects.count() == 0


def test_egress_rules_are_added_and_removed(admin_client):
    created = post(admin_client, "/egress-rules", {"value": "10.20.0.0/16", "note": "IM gateway"})
    rule_id = created.json()["id"]
    listed = admin_client.get(f"{BASE}/egress-rules")
    deleted = admin_client.delete(f"{BASE}/egress-rules/{rule_id}")

    assert created.status_code == 201
    assert (created.json()["network"], created.json()["host"]) == ("10.20.0.0/16", "")
    assert [r["id"] for r in listed.json()["results"]] == [rule_id]
    assert deleted.status_code == 204
    assert EgressAllowRule.objects.count() == 0


def test_invalid_egress_rule_is_422(admin_client):
    response = post(admin_client, "/egress-rules", {"value": "0.0.0.0/0"})

    assert response.status_code == 422
    assert EgressAllowRule.objects.count() == 0


def test_anyone_signed_in_sends_themself_a_test_message(client):
    person = factories.person(email="me@example.com", language="en")
    client.force_login(person)

    response = post(client, "/test")

    assert response.status_code == 201
    body = response.json()
    assert (body["event"], body["recipient_id"], body["subject"]) == (
        "notification.test", person.pk, "Steward test notification"
    )
    assert [(d["channel"], d["target"]) for d in body["deliveries"]] == [
        ("email", "me@example.com")
    ]


def test_anonymous_cannot_send_a_test_message(client):
    response = post(client, "/test")

    assert response.status_code == 401


def test_openapi_document_describes_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()

    operations = {
        op["operationId"] for path in schema["paths"].values() for op in path.values()
    }
    assert {
        "notifications_deliveries_list", "notifications_deliveries_retry",
        "notifications_robots_create", "notifications_egress_rules_create",
        "notifications_send_test",
    } <= operations
