"""Warranty and licence end reminders reach the people responsible, through their own
channels, once per threshold: from ``cmdb.services.reminders_send`` to the SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.cmdb.services import asset_create, licence_create, licence_install, reminders_send
from steward.core.outbox import OutboxStatus
from steward.identity.models import Role
from steward.notifications.models import Delivery, Notification
from steward.testing import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 4)


def send_reminders(capture):
    with capture(execute=True):
        return reminders_send(today=TODAY)


@pytest.mark.usefixtures("allow_loopback")
def test_a_warranty_ending_in_30_days_reaches_the_ci_owner_on_each_channel_once(
    smtp, sms_provider, settings, django_capture_on_commit_callbacks
):
    settings.STEWARD_BASE_URL = "https://steward.example.com"
    owner = factories.person(
        roles=(Role.AGENT,), name="王芳", name_en="Fang Wang", language="en",
        email="fang@example.com", phone="+8613900000001",
        notification_channels=["email", "sms"],
    )
    server = factories.ci(name="ERP-DB-01", owner=owner)
    asset = asset_create(
        actor=None, name="Dell R750", ci=server, supplier="戴尔",
        warranty_end=TODAY + dt.timedelta(days=30),
    )

    sent = send_reminders(django_capture_on_commit_callbacks)

    [notification] = Notification.objects.filter(event="cmdb.warranty_ending")
    deliveries = Delivery.objects.filter(notification=notification).order_by("channel")
    assert len(sent) == 1
    assert notification.recipient_id == owner.pk
    assert [(d.channel, d.status) for d in deliveries] == [
        ("email", OutboxStatus.DONE), ("sms", OutboxStatus.DONE)
    ]
    link = f"https://steward.example.com/console/cmdb/cis/{server.ci_id}/"
    [message] = smtp.mailbox.messages
    assert smtp.mailbox.envelopes[0][1] == ["fang@example.com"]
    assert message["Subject"] == f"[{asset.asset_tag}] warranty ends 2026-06-03: Dell R750"
    assert link in message.get_content()
    assert f"(CI {server.ci_id} ERP-DB-01)" in message.get_content()
    assert [r.json["to"] for r in sms_provider.requests] == ["+8613900000001"]

    again = send_reminders(django_capture_on_commit_callbacks)

    assert again == []
    assert Notification.objects.filter(event="cmdb.warranty_ending").count() == 1
    assert Delivery.objects.count() == 2
    assert len(smtp.mailbox.messages) == 1


def test_without_an_owner_the_support_team_lead_is_reminded_in_chinese(
    smtp, django_capture_on_commit_callbacks
):
    lead = factories.person(roles=(Role.TEAM_LEAD,), name="李强", email="lq@example.com")
    team = factories.team(lead=lead)
    switch = factories.ci(name="门店交换机", support_team=team)
    asset = asset_create(actor=None, name="华为 S5735", ci=switch,
                         warranty_end=TODAY + dt.timedelta(days=7))

    send_reminders(django_capture_on_commit_callbacks)

    [notification] = Notification.objects.filter(event="cmdb.warranty_ending")
    [message] = smtp.mailbox.messages
    assert notification.recipient_id == lead.pk
    assert message["Subject"].strip() == f"[{asset.asset_tag}] 保修将于 2026-05-11 到期：华为 S5735"
    assert f"/console/cmdb/cis/{switch.ci_id}/" in message.get_content()


def test_an_asset_without_a_ci_goes_to_finance(django_capture_on_commit_callbacks):
    finance = factories.person(roles=(Role.FINANCE,))
    factories.person(roles=(Role.AGENT,))
    asset = asset_create(actor=None, name="备用笔记本", warranty_end=TODAY + dt.timedelta(days=80))

    send_reminders(django_capture_on_commit_callbacks)

    [notification] = Notification.objects.filter(event="cmdb.warranty_ending")
    assert notification.recipient_id == finance.pk
    assert notification.link.endswith(f"/console/cmdb/assets/{asset.asset_tag}/")


def test_a_licence_end_reaches_the_owners_of_the_cis_it_is_installed_on(
    django_capture_on_commit_callbacks
):
    first, second = factories.person(roles=(Role.AGENT,)), factories.person(roles=(Role.AGENT,))
    licence = licence_create(actor=None, code="ORACLE-EE", product="Oracle EE",
                             entitlements=4, ends_on=TODAY + dt.timedelta(days=30))
    for owner in (first, second, first):
        licence_install(actor=None, licence=licence, ci=factories.ci(owner=owner),
                        installed_on=TODAY)

    send_reminders(django_capture_on_commit_callbacks)

    sent = Notification.objects.filter(event="cmdb.licence_ending").order_by("recipient_id")
    assert [n.recipient_id for n in sent] == [first.pk, second.pk]
    assert sent[0].link.endswith("/console/cmdb/licences/ORACLE-EE/")
    assert "已安装 3 套，授权 4 套" in sent[0].body
