"""Configuration items: create and edit with history and audit, versions, status actions,
permissions, service CIs."""

from __future__ import annotations

import pytest

from steward.cmdb import services
from steward.cmdb.models import CiChange, ConfigurationItem
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


def history(ci):
    return list(
        CiChange.objects.filter(ci=ci)
        .order_by("id")
        .values_list("action", "field", "before", "after")
    )


def test_a_ci_is_created_with_its_id_audit_and_history(classes, team, engineer):
    ci = services.ci_create(
        actor=engineer,
        ci_class=classes["server"],
        name="HANA-SRV-01",
        support_team=team,
        criticality=1,
        attributes={"mgmt_ip": "10.0.2.1", "serial_number": "SN-1", "cpu_cores": "224"},
        change_number="chg-000001 ",
    )
    assert ci.ci_id == f"CI-{ci.pk:06d}"
    assert ci.attributes == {"serial_number": "SN-1", "mgmt_ip": "10.0.2.1", "cpu_cores": 224}
    assert (ci.status, ci.environment, ci.version) == ("in_use", "production", 1)
    assert history(ci) == [
        ("create", "attributes.cpu_cores", None, 224),
        ("create", "attributes.mgmt_ip", None, "10.0.2.1"),
        ("create", "attributes.serial_number", None, "SN-1"),
        ("create", "ci_class", None, classes["server"].pk),
        ("create", "ci_id", None, ci.ci_id),
        ("create", "criticality", None, 1),
        ("create", "environment", None, "production"),
        ("create", "name", None, "HANA-SRV-01"),
        ("create", "status", None, "in_use"),
        ("create", "support_team", None, team.pk),
    ]
    rows = CiChange.objects.filter(ci=ci)
    assert {(r.change_number, r.unauthorised, r.actor_id) for r in rows} == {
        ("CHG-000001", False, engineer.pk)
    }
    assert len({r.operation for r in rows}) == 1
    entry = audit_entries(ci, "create").get()
    assert (entry.actor_id, entry.changes["name"], entry.changes["ci_id"]) == (
        engineer.pk,
        "HANA-SRV-01",
        ci.ci_id,
    )


def test_a_bad_attribute_names_the_field_and_creates_nothing(classes, team):
    with pytest.raises(ValidationFailed) as caught:
        services.ci_create(
            actor=None,
            ci_class=classes["server"],
            name="x",
            support_team=team,
            attributes={"mgmt_ip": "10.0.0.300"},
        )
    assert (caught.value.field, caught.value.message) == (
        "attributes.mgmt_ip",
        "Enter a valid IP address.",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.ci_create(actor=None, ci_class=classes["server"], name="x")
    assert caught.value.field == "attributes.mgmt_ip"
    with pytest.raises(ValidationFailed) as caught:
        services.ci_create(actor=None, ci_class=classes["software"], name="x", status="retired")
    assert (caught.value.field, caught.value.message) == (
        "status",
        "A new CI is planned or in use.",
    )
    assert ConfigurationItem.objects.count() == 0
    assert CiChange.objects.count() == 0


def test_a_reference_must_point_to_a_ci_of_the_class_or_a_subclass(classes):
    server = factories.ci(ci_class=classes["server"], attributes={"mgmt_ip": "10.0.0.1"})
    other = factories.ci(ci_class=classes["software"])
    db = factories.ci(ci_class=classes["database"], attributes={"host": server.ci_id.lower()})
    assert db.attributes == {"host": server.ci_id}
    with pytest.raises(ValidationFailed) as caught:
        factories.ci(ci_class=classes["database"], attributes={"host": other.ci_id})
    assert caught.value.message == f"{other.ci_id} is not a CI of the class server."


def test_an_update_writes_one_history_row_per_field_and_bumps_the_version(classes, engineer, team):
    ci = factories.ci(
        ci_class=classes["server"],
        support_team=team,
        attributes={"mgmt_ip": "10.0.0.1", "cpu_cores": 8},
    )
    updated = services.ci_update(
        actor=engineer,
        ci=ci,
        changes={
            "name": "ESX-01",
            "criticality": 2,
            "attributes": {"cpu_cores": None, "mgmt_ip": "10.0.0.9"},
        },
        expected_version=1,
        change_number="CHG-7",
    )
    assert (updated.version, updated.attributes) == (2, {"mgmt_ip": "10.0.0.9"})
    assert [row for row in history(ci) if row[0] == "update"] == [
        ("update", "attributes.cpu_cores", 8, None),
        ("update", "attributes.mgmt_ip", "10.0.0.1", "10.0.0.9"),
        ("update", "criticality", 3, 2),
        ("update", "name", ci.name, "ESX-01"),
    ]
    entry = audit_entries(ci, "update").get()
    assert entry.changes["criticality"] == [3, 2]
    again = services.ci_update(actor=engineer, ci=updated, changes={"name": "ESX-01"})
    assert again.version == 2
    assert CiChange.objects.filter(ci=ci, action="update").count() == 4


def test_a_stale_version_is_a_conflict_and_changes_nothing(classes, team):
    ci = factories.ci(ci_class=classes["software"], support_team=team)
    services.ci_update(actor=None, ci=ci, changes={"name": "first"})
    with pytest.raises(Conflict) as caught:
        services.ci_update(actor=None, ci=ci, changes={"name": "second"}, expected_version=1)
    assert (caught.value.code, caught.value.field) == ("conflict", "version")
    ci.refresh_from_db()
    assert (ci.name, ci.version) == ("first", 2)
    assert CiChange.objects.filter(ci=ci, action="update").count() == 1


@pytest.mark.parametrize(
    ("_case", "roles", "in_team"),
    [
        ("requester", (Role.REQUESTER,), False),
        ("agent of another team", (Role.AGENT,), False),
        ("auditor in the team", (Role.AUDITOR,), True),
    ],
)
def test_only_administrators_and_the_support_team_change_a_ci(_case, roles, in_team, classes, team):
    from steward.cmdb.tests.conftest import services_team_add

    person = factories.person(roles=roles)
    if in_team:
        services_team_add(team, person)
    ci = factories.ci(ci_class=classes["software"], support_team=team)
    with pytest.raises(NotPermitted):
        services.ci_update(actor=person, ci=ci, changes={"name": "x"})
    with pytest.raises(NotPermitted):
        services.ci_retire(actor=person, ci=ci)
    with pytest.raises(NotPermitted):
        services.ci_create(actor=person, ci_class=classes["software"], name="y", support_team=team)
    ci.refresh_from_db()
    assert (ci.name, ci.status, ci.version) != ("x", "retired", 2)
    assert ConfigurationItem.objects.count() == 1
    assert CiChange.objects.filter(action__in=["update", "transition"]).count() == 0


def test_status_changes_are_actions(classes, engineer, team):
    ci = factories.ci(ci_class=classes["software"], support_team=team, status="planned")
    assert ci.allowed_actions() == ["put_in_use", "retire"]
    ci = services.ci_transition(actor=engineer, ci=ci, action="put_in_use")
    ci = services.ci_transition(actor=engineer, ci=ci, action="start_maintenance")
    ci = services.ci_retire(actor=engineer, ci=ci, expected_version=3)
    assert (ci.status, ci.version, ci.allowed_actions()) == ("retired", 4, [])
    assert [row[2:] for row in history(ci) if row[0] == "transition"] == [
        ("planned", "in_use"),
        ("in_use", "maintenance"),
        ("maintenance", "retired"),
    ]
    assert list(audit_entries(ci).exclude(action="create").values_list("action", flat=True)) == [
        "put_in_use",
        "start_maintenance",
        "retire",
    ]
    with pytest.raises(InvalidTransition):
        services.ci_retire(actor=engineer, ci=ci)


def test_a_catalogue_service_gets_its_ci_and_keeps_it_in_step(classes):
    from steward.catalogue.services import service_update

    service = factories.service(code="POS", name="门店收银")
    ci = services.ci_for_service(actor=service.owner, service=service)
    assert (ci.ci_class.code, ci.name, ci.service_id, ci.support_team_id, ci.owner_id) == (
        "service",
        "门店收银",
        service.pk,
        service.support_team_id,
        service.owner_id,
    )
    assert services.ci_for_service(actor=None, service=service).pk == ci.pk
    service_update(actor=None, service=service, changes={"name": "门店收银 POS", "criticality": 1})
    service.refresh_from_db()
    synced = services.ci_for_service(actor=service.owner, service=service)
    assert (synced.pk, synced.name, synced.criticality, synced.version) == (
        ci.pk,
        "门店收银 POS",
        1,
        2,
    )
    assert [row for row in history(ci) if row[0] == "update"] == [
        ("update", "criticality", 3, 1),
        ("update", "name", "门店收银", "门店收银 POS"),
    ]
    outsider = factories.person(roles=(Role.AGENT,))
    with pytest.raises(NotPermitted):
        services.ci_for_service(actor=outsider, service=service)


def test_values_of_a_removed_attribute_are_dropped_at_the_next_attribute_edit(admin, classes):
    ci = factories.ci(
        ci_class=classes["server"], attributes={"mgmt_ip": "10.0.0.1", "cpu_cores": 4}
    )
    services.class_set_attributes(
        actor=admin,
        ci_class=classes["server"],
        attributes=[
            {"key": "mgmt_ip", "type": "ip_address", "label": "管理地址", "required": True}
        ],
    )
    ci.refresh_from_db()
    assert ci.attributes == {"mgmt_ip": "10.0.0.1", "cpu_cores": 4}
    updated = services.ci_update(actor=None, ci=ci, changes={"attributes": {"serial_number": "A1"}})
    assert updated.attributes == {"mgmt_ip": "10.0.0.1", "serial_number": "A1"}
    assert [row for row in history(ci) if row[0] == "update"] == [
        ("update", "attributes.cpu_cores", 4, None),
        ("update", "attributes.serial_number", None, "A1"),
    ]
