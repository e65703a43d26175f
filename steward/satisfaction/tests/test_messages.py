"""The messages of satisfaction: templates seeded in both languages by the data migration
(re-running keeps reworded ones), the invitation in the requester's language, and the
complaint's outcome told to the requester."""

from __future__ import annotations

import importlib
import zoneinfo
from typing import Any

import pytest
from django.apps import apps

from steward.identity.models import Role
from steward.notifications.models import MessageTemplate, Notification
from steward.satisfaction import services
from steward.satisfaction.models import Complaint, Survey
from steward.testing import factories

pytestmark = pytest.mark.django_db
seed_migration = importlib.import_module(
    "steward.notifications.migrations.0005_seed_satisfaction_templates"
)
EVENTS = ("satisfaction.invited", "complaint.opened", "complaint.resolved")


def test_the_templates_are_seeded_in_both_languages() -> None:
    seeded = set(MessageTemplate.objects.filter(event__in=EVENTS)
                 .values_list("event", "language"))
    assert seeded == {(event, language) for event in EVENTS for language in ("zh-hans", "en")}


def test_rerunning_the_seed_keeps_reworded_templates() -> None:
    MessageTemplate.objects.filter(event="satisfaction.invited", language="en").update(
        subject="Rate us")
    seed_migration.seed(apps, None)
    assert MessageTemplate.objects.get(event="satisfaction.invited", language="en").subject == (
        "Rate us")
    assert MessageTemplate.objects.filter(event__in=EVENTS).count() == 6


def test_the_invitation_speaks_the_requesters_language(agent: Any, service: Any) -> None:
    english = factories.person(language="en", notification_channels=["email"])
    factories.incident_in("resolved", agent=agent, requester=english, service=service,
                          title="Till does not start")
    invitation = Notification.objects.get(event="satisfaction.invited")
    survey = Survey.objects.get()
    assert invitation.subject == f"[{survey.record_number}] How did we do? Till does not start"
    assert invitation.link in invitation.body
    until = survey.expires_at.astimezone(zoneinfo.ZoneInfo(english.time_zone))
    assert f"valid until {until:%Y-%m-%d %H:%M}" in invitation.body


def test_the_requester_is_told_the_outcome(survey: Survey, requester: Any, lead: Any) -> None:
    services.survey_rate(actor=requester, survey=survey, rating=2, comment="等太久")
    complaint = Complaint.objects.get()
    services.complaint_act(actor=lead, complaint=complaint, action="resolve",
                           outcome="已补充备件库存，今后两小时内上门。")
    told = Notification.objects.get(event="complaint.resolved")
    assert told.recipient == requester
    assert "已补充备件库存，今后两小时内上门。" in told.body
    assert told.link.endswith(f"/portal/tickets/{survey.record_number}/")


def test_a_complaint_without_lead_or_owner_notifies_nobody(
    resolved: Any, requester: Any, desk: Any, service: Any
) -> None:
    from steward.identity.services import person_deactivate, team_update

    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    team_update(actor=admin, team=desk, changes={"lead": None})
    person_deactivate(actor=admin, person=service.owner)
    incident = resolved()
    survey = Survey.objects.get(object_id=incident.pk)
    services.survey_rate(actor=requester, survey=survey, rating=1)
    assert Complaint.objects.get().owner is None
    assert Notification.objects.filter(event="complaint.opened").count() == 0
