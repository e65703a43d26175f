"""The requester's messages: acknowledgement with the promised response time (in their language
and time zone), staff replies and the resolution with its reopen hint, written in the same
transaction as the change."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import transaction

from steward.core import events as core_events
from steward.incidents import services
from steward.incidents.events import IncidentCreated, IncidentReplied, IncidentResolved
from steward.incidents.models import Incident
from steward.notifications import handlers_incidents
from steward.notifications.models import Delivery, MessageTemplate, Notification
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications(isolated_subscribers):
    """The subscriptions NotificationsConfig.ready() makes for incidents."""
    core_events.subscribe(IncidentCreated, handlers_incidents.on_incident_created)
    core_events.subscribe(IncidentReplied, handlers_incidents.on_incident_replied)
    core_events.subscribe(IncidentResolved, handlers_incidents.on_incident_resolved)


def test_acknowledgement_in_chinese_promises_the_first_response_time(
    notifications, raise_incident, requester
):
    incident = raise_incident(impact=1, urgency=2)  # P2 at 10:15: respond within 30 minutes

    sent = Notification.objects.get(event="incident.created")
    assert (sent.recipient_id, sent.language, sent.object_id) == (
        requester.pk,
        "zh-hans",
        incident.pk,
    )
    assert sent.subject == "[INC-000001] 已收到您的故障报告：收银机无法开机"
    assert "工程师将在 2026-03-02 10:45 前响应" in sent.body
    assert "/portal/tickets/INC-000001/" in sent.body
    assert Delivery.objects.filter(notification=sent, channel="email").count() == 1


def test_acknowledgement_in_english_in_the_requesters_time_zone(notifications, raise_incident):
    traveller = factories.person(language="en", time_zone="Europe/Berlin", name_en="Anna")

    raise_incident(requester=traveller, impact=1, urgency=2)

    sent = Notification.objects.get(event="incident.created")
    assert sent.subject == "[INC-000001] received: 收银机无法开机"
    # 10:45 in Shanghai is 03:45 in Berlin (UTC+1 in March).
    assert (
        'INC-000001 "收银机无法开机" received; an engineer will respond by 2026-03-02 03:45.'
        in (sent.body)
    )
    assert sent.body.startswith("Hello Anna,")


def test_acknowledgement_without_an_agreement_promises_no_time(notifications, raise_incident):
    raise_incident(service=None)

    sent = Notification.objects.get(event="incident.created")
    assert "工程师会尽快响应" in sent.body


def test_the_acknowledgement_rolls_back_with_the_incident(notifications, raise_incident):
    written = []

    def raise_then_fail() -> None:
        with transaction.atomic():
            raise_incident()
            written.append(Notification.objects.filter(event="incident.created").count())
            raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        raise_then_fail()

    assert written == [1]
    assert (Incident.objects.count(), Notification.objects.count()) == (0, 0)


def test_staff_reply_reaches_the_requester_but_their_own_reply_does_not(
    notifications, raise_incident, agent, requester
):
    incident = raise_incident()
    services.incident_comment(actor=agent, incident=incident, body="请重启试试。", public=True)
    services.incident_comment(actor=requester, incident=incident, body="已重启。", public=True)
    services.incident_comment(actor=agent, incident=incident, body="内部备注", public=False)

    [sent] = Notification.objects.filter(event="incident.replied")
    assert (sent.recipient_id, sent.actor_id) == (requester.pk, agent.pk)
    assert sent.subject == "[INC-000001] 王工 回复了您：收银机无法开机"
    assert "请重启试试。" in sent.body


def test_resolution_tells_the_requester_until_when_to_reopen(notifications, incident_in, requester):
    incident_in("resolved")

    sent = Notification.objects.get(event="incident.resolved")
    assert sent.recipient_id == requester.pk
    assert sent.subject == "[INC-000001] 已解决：收银机无法开机"
    assert "处理说明：重启收银机后恢复。" in sent.body
    assert "2026-03-09 10:15 前重新打开" in sent.body


def test_incident_templates_are_seeded_in_both_languages():
    seeded = set(
        MessageTemplate.objects.filter(event__startswith="incident.").values_list(
            "event", "language"
        )
    )
    assert seeded >= {
        (event, language)
        for event in (
            "incident.created",
            "incident.replied",
            "incident.resolved",
            "incident.escalated",
        )
        for language in ("zh-hans", "en")
    }


def test_rerunning_the_template_seed_keeps_reworded_templates():
    MessageTemplate.objects.filter(event="incident.created", language="en").update(
        subject="Thanks: {{ number }}"
    )
    seed = importlib.import_module("steward.notifications.migrations.0004_seed_incident_templates")

    seed.seed(apps, None)

    assert (
        MessageTemplate.objects.filter(
            event__in=("incident.created", "incident.replied", "incident.resolved")
        ).count()
        == 6
    )
    assert MessageTemplate.objects.get(event="incident.created", language="en").subject == (
        "Thanks: {{ number }}"
    )


def test_major_incident_templates_are_seeded_in_both_languages():
    seeded = set(
        MessageTemplate.objects.filter(event__startswith="incident.major").values_list(
            "event", "language"
        )
    )
    assert seeded == {
        (event, language)
        for event in (
            "incident.major_update",
            "incident.major_update_due",
            "incident.major_declared",
            "incident.major_owner_changed",
            "incident.major_handed_over",
            "incident.major_review_completed",
            "incident.major_review_action",
        )
        for language in ("zh-hans", "en")
    }
