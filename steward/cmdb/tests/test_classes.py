"""CI classes: data edited by administrators, with inherited attributes."""

from __future__ import annotations

import pytest

from steward.cmdb import services
from steward.cmdb.classtree import definitions_of
from steward.cmdb.models import CiClass
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_a_class_with_attributes_is_added_as_data_and_audited(admin, classes):
    created = services.class_create(
        actor=admin,
        code="pos_terminal",
        name="门店收银终端",
        name_en="Store POS terminal",
        parent=classes["hardware"],
        attributes=[{"key": "till_number", "type": "integer", "label": "收银台号", "min": 1}],
    )
    assert [(d["key"], d["defined_in"]) for d in definitions_of(created)] == [
        ("serial_number", "hardware"),
        ("till_number", "pos_terminal"),
    ]
    entry = audit_entries(created, "create").get()
    assert entry.actor_id == admin.pk
    assert entry.changes["parent"] == classes["hardware"].pk
    assert entry.changes["attributes"][0]["key"] == "till_number"


def test_only_administrators_define_classes(classes):
    agent = factories.person(roles=(Role.AGENT, Role.CHANGE_MANAGER))
    with pytest.raises(NotPermitted):
        services.class_create(actor=agent, code="vm", name="虚拟机")
    with pytest.raises(NotPermitted):
        services.class_set_attributes(actor=agent, ci_class=classes["server"], attributes=[])
    assert not CiClass.objects.filter(code="vm").exists()
    assert len(CiClass.objects.get(code="server").attributes) == 2


def test_a_subclass_cannot_redefine_an_inherited_attribute(admin, classes):
    with pytest.raises(ValidationFailed) as caught:
        services.class_create(
            actor=admin,
            code="blade",
            name="刀片",
            parent=classes["server"],
            attributes=[{"key": "serial_number", "type": "string", "label": "序列号"}],
        )
    assert (caught.value.field, caught.value.message) == (
        "attributes",
        "serial_number is already defined by the class hardware.",
    )
    assert not CiClass.objects.filter(code="blade").exists()


def test_a_parent_cannot_add_a_key_a_subclass_defines(admin, classes):
    with pytest.raises(ValidationFailed) as caught:
        services.class_set_attributes(
            actor=admin,
            ci_class=classes["hardware"],
            attributes=[{"key": "mgmt_ip", "type": "string", "label": "管理地址"}],
        )
    assert caught.value.message == "mgmt_ip is already defined by the class hardware."
    assert CiClass.objects.get(code="hardware").version == 1


def test_attributes_are_replaced_but_a_key_keeps_its_type(admin, classes):
    server = classes["server"]
    with pytest.raises(ValidationFailed) as caught:
        services.class_set_attributes(
            actor=admin,
            ci_class=server,
            attributes=[{"key": "cpu_cores", "type": "string", "label": "CPU"}],
        )
    assert caught.value.message == "cpu_cores is a integer attribute; its type cannot change."
    updated = services.class_set_attributes(
        actor=admin,
        ci_class=server,
        attributes=[
            {"key": "mgmt_ip", "type": "ip_address", "label": "管理地址", "required": True},
            {"key": "rack", "type": "string", "label": "机柜", "label_en": "Rack"},
        ],
    )
    assert (updated.version, [d["key"] for d in updated.attributes]) == (2, ["mgmt_ip", "rack"])
    entry = audit_entries(server, "update").get()
    assert [d["key"] for d in entry.changes["attributes"][1]] == ["mgmt_ip", "rack"]


def test_a_class_cannot_move_below_itself(admin, classes):
    with pytest.raises(ValidationFailed) as caught:
        services.class_update(
            actor=admin, ci_class=classes["hardware"], changes={"parent": classes["server"]}
        )
    assert (caught.value.field, caught.value.message) == (
        "parent",
        "A class cannot be placed below itself.",
    )
    assert CiClass.objects.get(code="hardware").parent_id is None


def test_moving_a_class_is_refused_when_keys_would_clash(admin, classes):
    services.class_set_attributes(
        actor=admin,
        ci_class=classes["software"],
        attributes=[{"key": "serial_number", "type": "string", "label": "许可证号"}],
    )
    with pytest.raises(ValidationFailed) as caught:
        services.class_update(
            actor=admin, ci_class=classes["software"], changes={"parent": classes["hardware"]}
        )
    assert caught.value.field == "parent"


def test_class_codes_are_checked(admin):
    with pytest.raises(ValidationFailed) as caught:
        services.class_create(actor=admin, code="Server X", name="x")
    assert caught.value.field == "code"
    services.class_create(actor=admin, code="server", name="服务器")
    with pytest.raises(ValidationFailed) as caught:
        services.class_create(actor=admin, code="server", name="服务器")
    assert caught.value.message == "The code server is taken."
