"""Mail creates incidents through ``incident_create``, so the routing rules apply to them."""

from __future__ import annotations

import pytest

from steward.identity.models import Role
from steward.incidents.models import Incident
from steward.incidents.services.routing import routing_rule_create
from steward.mailin.services import mail_ingest
from steward.mailin.tests.conftest import fixture
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_a_keyword_rule_routes_a_mailed_report(requester):
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    office = factories.team(code="OFFICE", name="办公设备组")
    rule = routing_rule_create(actor=admin, name="打印机", team=office, keywords="打印机, printer")

    mail_ingest(raw=fixture("new_gb2312.eml"), source="pipe")

    incident = Incident.objects.get()
    assert (incident.channel, incident.team_id, incident.routing_rule_id) == (
        "email", office.pk, rule.pk
    )
