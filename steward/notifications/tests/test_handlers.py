"""Notifications that follow events: SLA escalations and account lock-outs, written in the
same transaction as their cause."""

from __future__ import annotations

import pytest

from steward.identity.models import Role
from steward.identity.services import login_failed
from steward.notifications.models import Delivery, Notification
from steward.sla import services as sla
from steward.sla.models import SlaMilestone
from steward.sla.tests.conftest import agreement, at, china  # noqa: F401 - fixtures
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_breach_notifies_the_service_owner_and_the_team_lead_in_their_language(agreement):
    lead = factories.person(roles=(Role.TEAM_LEAD,), language="en", name_en="Lead")
    team = factories.team(lead=lead)
    record = factories.memo(requester=factories.person(), team=team, title="收银机无法开机")
    sla.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1, at=at(2026, 3, 2, 9, 0)
    )
    breach = SlaMilestone.objects.get(clock__kind="resolution", percent=100)

    assert sla.milestone_fire(milestone_id=breach.pk, now=at(2026, 3, 2, 14, 1)) is True

    sent = list(Notification.objects.filter(event="sla.breached").order_by("recipient_id"))
    assert [n.recipient_id for n in sent] == sorted([agreement.service.owner_id, lead.pk])
    by_person = {n.recipient_id: n for n in sent}
    assert by_person[lead.pk].subject == f"[{record.number}] SLA breached: resolution"
    assert by_person[agreement.service.owner_id].subject == f"[{record.number}] SLA 已违约：解决"
    assert Delivery.objects.filter(notification__in=sent).count() == 2


def test_warning_goes_to_the_assignee(agreement):
    assignee = factories.person(roles=(Role.AGENT,))
    record = factories.memo(requester=factories.person(), assignee=assignee)
    sla.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1, at=at(2026, 3, 2, 9, 0)
    )
    fifty = SlaMilestone.objects.get(clock__kind="resolution", percent=50)

    sla.milestone_fire(milestone_id=fifty.pk, now=at(2026, 3, 2, 11, 0))
    sla.milestone_fire(milestone_id=fifty.pk, now=at(2026, 3, 2, 11, 5))

    sent = Notification.objects.filter(event="sla.warning")
    assert [n.recipient_id for n in sent] == [assignee.pk]
    assert "50%" in sent[0].subject


def test_lockout_notifies_the_person(settings):
    settings.STEWARD_LOGIN_MAX_FAILURES = 2
    person = factories.person(username="clerk")
    login_failed(username="clerk")
    assert not Notification.objects.exists()
    login_failed(username="clerk")
    login_failed(username="clerk")
    sent = Notification.objects.get(event="account.locked")
    assert sent.recipient_id == person.pk
    assert "2" in sent.body
