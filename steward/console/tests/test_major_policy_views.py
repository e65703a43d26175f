"""Console: the major-incident criteria and update schedule, read by staff and changed by
administrators through the same service as the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Role
from steward.incidents.models import MajorIncidentPolicy
from steward.testing import factories
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db
URL = "/console/incidents/major/policy/"


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _post(client: Client, **fields: Any) -> Any:
    data = {
        "max_criticality": "1",
        "site_threshold": "8",
        "site_window_minutes": "20",
        "update_interval_minutes": "15",
        **fields,
    }
    return client.post(URL, data)


def test_an_administrator_changes_the_criteria_and_management_list():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    manager = factories.person(roles=(Role.SERVICE_OWNER,), name="周经理")
    client = _client(admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert unlabelled_controls(page.content.decode()) == []
    listing = client.get(reverse("console:major_incidents")).content.decode()
    assert reverse("console:major_policy") in listing

    response = _post(client, management=[str(manager.pk)])

    assert response.status_code == 302
    policy = MajorIncidentPolicy.objects.get()
    assert (policy.max_criticality, policy.site_threshold, policy.site_window_minutes) == (1, 8, 20)
    assert (policy.update_interval_minutes, list(policy.management.all())) == (15, [manager])
    entry = AuditEntry.objects.filter(content_type__model="majorincidentpolicy").last()
    assert entry is not None
    assert entry.actor_id == admin.pk


def test_an_empty_criterion_switches_it_off():
    client = _client(factories.person(roles=(Role.ADMINISTRATOR,)))

    assert _post(client, max_criticality="", site_threshold="").status_code == 302

    policy = MajorIncidentPolicy.objects.get()
    assert (policy.max_criticality, policy.site_threshold) == (None, None)


def test_out_of_range_values_are_refused_with_their_field_and_nothing_changes():
    client = _client(factories.person(roles=(Role.ADMINISTRATOR,)))

    response = _post(client, site_threshold="1")

    assert response.status_code == 422
    assert zh("2 or more, or empty to switch it off.") in response.content.decode()
    assert not MajorIncidentPolicy.objects.exists()


def test_other_staff_read_the_policy_but_cannot_change_it():
    agent = factories.person(roles=(Role.AGENT,))
    client = _client(agent)

    page = client.get(URL).content.decode()

    assert "disabled" in page
    assert zh("Save policy") not in page
    assert "Save policy" not in page
    assert _post(client).status_code == 403
    assert not MajorIncidentPolicy.objects.exists()
