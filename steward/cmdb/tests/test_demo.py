"""The demo CMDB: loaded once on top of the demo organisation and catalogue, realistic."""

from __future__ import annotations

import pytest

from steward.audit.services import audit_verify
from steward.cmdb import demo
from steward.cmdb.impact import impact_for
from steward.cmdb.models import CiChange, CiClass, ConfigurationItem, RedundancyGroup, Relation
from steward.identity.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_cmdb_loads_once_and_answers_impact_questions():
    from steward.demo.organisation import load as load_organisation

    load_organisation(history_scale=0)  # the CMDB needs no ticket history
    count = demo.load()
    counts = (
        CiClass.objects.count(),
        ConfigurationItem.objects.count(),
        Relation.objects.count(),
        RedundancyGroup.objects.count(),
        CiChange.objects.count(),
    )
    assert demo.load() == count
    assert (
        CiClass.objects.count(),
        ConfigurationItem.objects.count(),
        Relation.objects.count(),
        RedundancyGroup.objects.count(),
        CiChange.objects.count(),
    ) == counts
    assert ConfigurationItem.objects.filter(ci_class__code="pos_terminal").count() == 600
    assert ConfigurationItem.objects.filter(service__isnull=False).count() == 15
    assert RedundancyGroup.objects.count() == 305
    assert CiChange.objects.filter(unauthorised=True, reviewed_at__isnull=True).count() == 2
    agent = Person.objects.get(username="desk.agent")

    router = impact_for(user=agent, ci_ids=[ConfigurationItem.objects.get(name="R-S0001").ci_id])
    assert [(s.service.code, [site.code for site in s.sites]) for s in router.services] == [
        ("POS", ["S0001"]),
        ("STORE-NET", ["S0001"]),
    ]
    assert router.people == Person.objects.filter(site__code="S0001", is_active=True).count() == 1

    one_node = impact_for(
        user=agent, ci_ids=[ConfigurationItem.objects.get(name="ERP-DB-NODE-1").ci_id]
    )
    assert (one_node.impacted_count, [g.code for g, _up in one_node.surviving_groups]) == (
        0,
        ["ERP-DB-CLUSTER"],
    )
    nodes = ConfigurationItem.objects.filter(name__startswith="ERP-DB-NODE").order_by("name")
    both = impact_for(user=agent, ci_ids=[n.ci_id for n in nodes])
    assert [s.service.code for s in both.services] == ["ERP", "ERP-DB", "WMS", "BI"]
    assert audit_verify().ok
