"""Discovery: pushed host facts reconciled by identification rules, with the source and time
of each value; the API wiring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from steward.cmdb import services
from steward.cmdb.models import CiChange, CiFact, ConfigurationItem
from steward.cmdb.services.discovery import host_values
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db
SEEN = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
ANSIBLE = {
    "ansible_facts": {
        "ansible_hostname": "esx-01",
        "ansible_product_serial": "SN-1",
        "ansible_default_ipv4": {"address": "10.0.0.1"},
        "ansible_processor_vcpus": 32,
        "ansible_distribution": "Ubuntu",
    },
    "support_team": "INFRA",
}


def test_ansible_facts_become_ci_fields():
    values, ignored = host_values(ANSIBLE)
    assert values == {
        "name": "esx-01",
        "attributes.serial_number": "SN-1",
        "attributes.mgmt_ip": "10.0.0.1",
        "attributes.cpu_cores": "32",
        "attributes.os": "Ubuntu",
        "support_team": "INFRA",
    }
    assert ignored == []


def test_a_new_host_is_created_and_its_facts_recorded(classes, team, engineer):
    [result] = services.discovery_submit(
        actor=engineer,
        source="ansible",
        hosts=[ANSIBLE],
        default_class=classes["server"],
        observed_at=SEEN,
    )
    assert (result.outcome, result.ignored) == ("created", ["attributes.os"])
    ci = ConfigurationItem.objects.get()
    assert ci.attributes == {"serial_number": "SN-1", "mgmt_ip": "10.0.0.1", "cpu_cores": 32}
    facts = CiFact.objects.filter(ci=ci).values_list("field", "value", "source", "observed_at")
    assert sorted(facts) == [
        ("attributes.cpu_cores", "32", "ansible", SEEN),
        ("attributes.mgmt_ip", "10.0.0.1", "ansible", SEEN),
        ("attributes.serial_number", "SN-1", "ansible", SEEN),
        ("name", "esx-01", "ansible", SEEN),
        ("support_team", "INFRA", "ansible", SEEN),
    ]


def test_the_serial_number_rule_wins_over_the_hostname(classes, team, engineer):
    ci = factories.ci(
        ci_class=classes["server"],
        name="old-name",
        support_team=team,
        attributes={"serial_number": "SN-1", "mgmt_ip": "10.0.0.1"},
        change_number="CHG-1",
    )
    factories.ci(ci_class=classes["hardware"], name="esx-01", support_team=team)
    [result] = services.discovery_submit(
        actor=engineer, source="ansible", hosts=[ANSIBLE], observed_at=SEEN
    )
    ci.refresh_from_db()
    assert (result.outcome, result.ci.ci_id) == ("updated", ci.ci_id)
    assert result.fields == ["attributes.cpu_cores", "name"]
    assert (ci.name, ci.attributes["cpu_cores"]) == ("esx-01", 32)
    assert set(CiChange.objects.filter(ci=ci, action="update").values_list("field", flat=True)) == {
        "attributes.cpu_cores",
        "name",
    }


def test_a_second_report_changes_nothing_but_the_observation_time(classes, team, engineer):
    services.discovery_submit(
        actor=engineer, source="ansible", hosts=[ANSIBLE], default_class=classes["server"]
    )
    changes = CiChange.objects.count()
    later = SEEN + dt.timedelta(days=1)

    [result] = services.discovery_submit(
        actor=engineer, source="ansible", hosts=[ANSIBLE], observed_at=later
    )

    assert result.outcome == "unchanged"
    assert CiChange.objects.count() == changes
    assert set(CiFact.objects.values_list("observed_at", flat=True)) == {later}


def test_a_bad_host_is_rejected_and_the_others_apply(classes, team, engineer):
    hosts = [
        {"name": "x", "attributes": {"mgmt_ip": "not-an-ip"}, "support_team": "INFRA"},
        ANSIBLE,
    ]
    bad, good = services.discovery_submit(
        actor=engineer, source="script", hosts=hosts, default_class=classes["server"]
    )
    assert (bad.outcome, bad.column, bad.reason) == (
        "rejected",
        "attributes.mgmt_ip",
        "Enter a valid IP address.",
    )
    assert good.outcome == "created"
    assert ConfigurationItem.objects.count() == 1


def test_only_staff_writers_report_and_a_source_is_named(classes):
    requester = factories.person(roles=(Role.REQUESTER,))
    with pytest.raises(NotPermitted):
        services.discovery_submit(actor=requester, source="x", hosts=[ANSIBLE])
    with pytest.raises(ValidationFailed):
        services.discovery_submit(actor=None, source=" ", hosts=[ANSIBLE])
    assert ConfigurationItem.objects.count() == 0


def test_the_discovery_endpoint_and_the_facts_of_a_ci(classes, team, engineer):
    client = Client()
    client.force_login(engineer)
    response = client.post(
        "/api/v1/cmdb/discovery",
        {"source": "ansible", "hosts": [ANSIBLE], "default_class": "server"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    [answer] = response.json()
    assert (answer["outcome"], answer["ignored"]) == ("created", ["attributes.os"])
    facts = client.get(f"/api/v1/cmdb/cis/{answer['ci_id']}/facts").json()
    assert [(f["field"], f["source"]) for f in facts] == [
        ("attributes.cpu_cores", "ansible"),
        ("attributes.mgmt_ip", "ansible"),
        ("attributes.serial_number", "ansible"),
        ("name", "ansible"),
        ("support_team", "ansible"),
    ]
    requester = Client()
    requester.force_login(factories.person(roles=(Role.REQUESTER,)))
    assert requester.get(f"/api/v1/cmdb/cis/{answer['ci_id']}/facts").status_code == 404
