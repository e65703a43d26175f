"""The demo's routing rules and strategies route a report as the service desk would."""

from __future__ import annotations

import pytest

from steward.catalogue.models import Service
from steward.demo.organisation import load
from steward.identity.models import Person
from steward.incidents.models import RoutingRule, TeamAssignment
from steward.incidents.services import incident_create

pytestmark = pytest.mark.django_db


def test_demo_rules_route_a_ransomware_report_to_security():
    # Routing needs neither the ticket history nor the CMDB (test_demo loads the whole demo);
    # loading again adds no second set of rules.
    load(history_scale=0, cmdb=False)
    load(history_scale=0, cmdb=False)
    requester = Person.objects.get(username="store.manager")

    incident = incident_create(
        actor=requester, title="收银机中了勒索病毒", service=Service.objects.get(code="POS")
    )

    assert RoutingRule.objects.count() == 3
    assert dict(TeamAssignment.objects.values_list("team__code", "strategy")) == {
        "APP": "round_robin", "DESK": "round_robin", "NET": "least_loaded"
    }
    assert incident.team.code == "SEC"
