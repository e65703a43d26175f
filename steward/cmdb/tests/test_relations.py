"""Relations and redundancy groups: direction, rules, history on both ends, audit."""

from __future__ import annotations

import pytest

from steward.cmdb import selectors, services
from steward.cmdb.models import CiChange, Relation
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(classes, team):
    return factories.ci(ci_class=classes["software"], name="SAP ERP", support_team=team)


@pytest.fixture
def db_node(classes, team):
    return factories.ci(ci_class=classes["database"], name="ERP-DB-NODE-1", support_team=team)


@pytest.mark.parametrize(
    ("kind", "provider_is_target"),
    [
        ("depends_on", True),
        ("runs_on", True),
        ("hosted_in", True),
        ("connects_to", True),
        ("used_by", False),
    ],
)
def test_impact_flows_from_the_provider_to_the_dependant(kind, provider_is_target, app, db_node):
    relation = services.relation_add(actor=None, source=app, kind=kind, target=db_node)
    expected = (db_node.pk, app.pk) if provider_is_target else (app.pk, db_node.pk)
    assert (relation.provider_id, relation.dependant_id) == expected


def test_backup_of_carries_no_impact(app, db_node):
    relation = services.relation_add(actor=None, source=app, kind="backup_of", target=db_node)
    assert (relation.provider_id, relation.dependant_id) == (None, None)


def test_a_relation_is_recorded_on_both_ends_and_audited(engineer, app, db_node):
    relation = services.relation_add(
        actor=engineer, source=app, kind="depends_on", target=db_node, change_number="CHG-9"
    )
    [row] = CiChange.objects.filter(action="relation_add")
    assert (row.ci_id, row.other_ci_id, row.relation_id, row.field, row.before, row.after) == (
        app.pk,
        db_node.pk,
        relation.pk,
        "relations.depends_on",
        None,
        db_node.ci_id,
    )
    newest = selectors.history_for(user=engineer, ci=db_node).first()
    assert newest.pk == row.pk
    assert audit_entries(relation, "create").get().changes == {
        "source": app.ci_id,
        "kind": "depends_on",
        "target": db_node.ci_id,
        "note": "",
    }
    services.relation_remove(actor=engineer, relation=relation)
    assert not Relation.objects.exists()
    removed = CiChange.objects.get(action="relation_remove")
    assert (removed.ci_id, removed.other_ci_id, removed.relation_id, removed.before) == (
        app.pk,
        db_node.pk,
        None,
        db_node.ci_id,
    )
    assert CiChange.objects.get(pk=row.pk).relation_id is None


def test_self_relations_duplicates_and_retired_ends_are_refused(app, db_node):
    with pytest.raises(ValidationFailed) as caught:
        services.relation_add(actor=None, source=app, kind="depends_on", target=app)
    assert (caught.value.field, caught.value.message) == (
        "target",
        "A CI cannot be related to itself.",
    )
    services.relation_add(actor=None, source=app, kind="depends_on", target=db_node)
    with pytest.raises(Conflict):
        services.relation_add(actor=None, source=app, kind="depends_on", target=db_node)
    services.relation_add(actor=None, source=app, kind="connects_to", target=db_node)
    services.ci_retire(actor=None, ci=db_node)
    db_node.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.relation_add(actor=None, source=app, kind="used_by", target=db_node)
    assert Relation.objects.count() == 2


def test_depends_on_may_not_close_a_loop_but_connects_to_may(classes):
    a, b, c = (factories.ci(ci_class=classes["software"], name=n) for n in "abc")
    services.relation_add(actor=None, source=a, kind="depends_on", target=b)
    services.relation_add(actor=None, source=b, kind="runs_on", target=c)
    with pytest.raises(ValidationFailed) as caught:
        services.relation_add(actor=None, source=c, kind="hosted_in", target=a)
    assert (
        caught.value.message == f"{a.ci_id} already depends on {c.ci_id}; that would make a loop."
    )
    with pytest.raises(ValidationFailed):
        services.relation_add(actor=None, source=c, kind="depends_on", target=a)
    ring = services.relation_add(actor=None, source=c, kind="connects_to", target=a)
    assert ring.kind == "connects_to"


def test_only_the_source_team_or_administrators_relate_cis(app, db_node):
    outsider = factories.person(roles=(Role.AGENT,))
    with pytest.raises(NotPermitted):
        services.relation_add(actor=outsider, source=app, kind="depends_on", target=db_node)
    assert not Relation.objects.exists()
    assert not CiChange.objects.filter(action="relation_add").exists()


def test_group_membership_is_a_field_of_each_member(engineer, team, classes):
    n1, n2, n3 = (factories.ci(ci_class=classes["software"], support_team=team) for _ in "123")
    group = services.group_create(
        actor=engineer, code="ERP-DB", name="ERP 数据库集群", support_team=team, members=[n1, n2]
    )
    assert sorted(group.members.values_list("pk", flat=True)) == [n1.pk, n2.pk]
    services.group_set_members(actor=engineer, group=group, members=[n2, n3])
    rows = list(
        CiChange.objects.filter(action="group")
        .order_by("id")
        .values_list("ci_id", "before", "after")
    )
    assert rows == [
        (n1.pk, None, "ERP-DB"),
        (n2.pk, None, "ERP-DB"),
        (n1.pk, "ERP-DB", None),
        (n3.pk, None, "ERP-DB"),
    ]
    n1.refresh_from_db()
    assert (n1.redundancy_group_id, n1.version) == (None, 3)
    other = services.group_create(actor=None, code="OTHER", name="另一个")
    with pytest.raises(ValidationFailed) as caught:
        services.group_set_members(actor=None, group=other, members=[n1, n3])
    assert (caught.value.field, caught.value.message) == (
        "members",
        f"{n3.ci_id} is already in the group ERP-DB.",
    )
    n1.refresh_from_db()
    assert n1.redundancy_group_id is None
    outsider = factories.person(roles=(Role.AGENT,))
    with pytest.raises(NotPermitted):
        services.group_set_members(actor=outsider, group=group, members=[])
