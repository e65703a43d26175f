"""The egress guard: internal addresses are refused unless an administrator allow-listed them."""

from __future__ import annotations

import ipaddress

import pytest

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.core.outbox import OutboxStatus
from steward.notifications.channels.base import DeliveryError
from steward.notifications.channels.egress import is_internal, resolve
from steward.notifications.models import EgressAllowRule
from steward.notifications.services import (
    allow_rule_create,
    allow_rule_delete,
    notification_send,
)
from steward.notifications.tests import factories
from steward.notifications.tests.servers import WEBHOOK_SECRET

pytestmark = pytest.mark.django_db


def send_webhook(robots, django_capture_on_commit_callbacks):
    factories.robot(kind="webhook", url=robots.webhook_url, secret=WEBHOOK_SECRET)
    person = factories.person(notification_channels=["webhook"])
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(event="notification.test", recipients=[person],
                                           context={})
    return notification.deliveries.get()


def test_loopback_webhook_is_refused_without_an_allow_rule(
    robots, django_capture_on_commit_callbacks,
):
    delivery = send_webhook(robots, django_capture_on_commit_callbacks)

    assert robots.requests == []
    assert (delivery.status, delivery.attempts, delivery.delivered_at) == (
        OutboxStatus.FAILED, 1, None
    )
    assert delivery.last_error == (
        "Refused: 127.0.0.1 resolves to the internal address 127.0.0.1; an administrator "
        "must allow-list it first."
    )


def test_loopback_webhook_is_delivered_once_allow_listed(
    robots, django_capture_on_commit_callbacks,
):
    factories.allow_rule("127.0.0.1/32")

    delivery = send_webhook(robots, django_capture_on_commit_callbacks)

    assert [r.verified for r in robots.requests] == [True]
    assert delivery.status == OutboxStatus.DONE


def test_host_name_rule_allows_that_host(robots, django_capture_on_commit_callbacks):
    factories.allow_rule("localhost")
    factories.robot(kind="webhook", url=f"http://localhost:{robots.port}/webhook",
                    secret=WEBHOOK_SECRET)
    person = factories.person(notification_channels=["webhook"])

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(event="notification.test", recipients=[person],
                                           context={})

    assert notification.deliveries.get().status == OutboxStatus.DONE


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("8.8.8.8", False),
        ("2400:3200::1", False),
    ],
)
def test_internal_addresses(address, internal):
    assert is_internal(ipaddress.ip_address(address)) is internal


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/x", "file:///etc/passwd", "http:///no-host", "gopher://example.com/"],
)
def test_only_http_urls_with_a_host_are_called(url):
    with pytest.raises(DeliveryError) as caught:
        resolve(url, [])

    assert caught.value.permanent is True


def test_rules_match_by_network_or_by_host():
    network_rule = EgressAllowRule(network="10.0.0.0/8")
    host_rule = EgressAllowRule(host="hooks.corp.example")
    address = ipaddress.ip_address("10.20.30.40")

    assert network_rule.matches("anything", address) is True
    assert network_rule.matches("anything", ipaddress.ip_address("192.168.0.1")) is False
    assert host_rule.matches("HOOKS.corp.example.", address) is True
    assert host_rule.matches("other.corp.example", address) is False


@pytest.mark.parametrize(
    ("_case", "value", "network", "host"),
    [
        ("address", "127.0.0.1", "127.0.0.1/32", ""),
        ("network", "10.1.2.0/24", "10.1.2.0/24", ""),
        ("loose network", "10.1.2.3/16", "10.1.0.0/16", ""),
        ("ipv6", "fd00::/8", "fd00::/8", ""),
        ("host", " Hooks.Corp.Example. ", "", "hooks.corp.example"),
    ],
)
def test_allow_rule_is_normalised_and_audited(_case, value, network, host):
    admin = factories.admin()

    rule = allow_rule_create(actor=admin, value=value, note="chat gateway")

    assert (rule.network, rule.host, rule.note, rule.created_by) == (
        network, host, "chat gateway", admin
    )
    entry = AuditEntry.objects.get(object_id=str(rule.pk), content_type__model="egressallowrule")
    assert (entry.action, entry.actor, entry.changes) == (
        "create", admin, {"network": network, "host": host, "note": "chat gateway"}
    )


@pytest.mark.parametrize(
    ("_case", "value"),
    [("everything v4", "0.0.0.0/0"), ("everything v6", "::/0"), ("garbage", "not a host!")],
)
def test_invalid_allow_rule_is_refused(_case, value):
    with pytest.raises(ValidationFailed):
        allow_rule_create(actor=factories.admin(), value=value)

    assert EgressAllowRule.objects.count() == 0


def test_duplicate_allow_rule_is_a_conflict():
    factories.allow_rule("10.0.0.0/8")

    with pytest.raises(Conflict):
        allow_rule_create(actor=factories.admin(), value="10.0.0.0/8")

    assert EgressAllowRule.objects.count() == 1


def test_non_administrator_cannot_allow_anything():
    agent = factories.person(roles=("agent",))
    audit_before = AuditEntry.objects.count()

    with pytest.raises(NotPermitted):
        allow_rule_create(actor=agent, value="127.0.0.1")

    assert EgressAllowRule.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_deleting_a_rule_refuses_the_address_again(robots, django_capture_on_commit_callbacks):
    admin = factories.admin()
    rule = factories.allow_rule("127.0.0.1")

    allow_rule_delete(actor=admin, rule=rule)
    delivery = send_webhook(robots, django_capture_on_commit_callbacks)

    assert delivery.status == OutboxStatus.FAILED
    assert robots.requests == []
    assert AuditEntry.objects.filter(action="delete", actor=admin).count() == 1
