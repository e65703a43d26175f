"""Impact analysis on a small hand-made estate (``estate.build``): exact CIs, services,
customers and people, redundancy, location scope, root-cause candidates."""

from __future__ import annotations

import pytest

from steward.cmdb import services
from steward.cmdb.impact import impact_for
from steward.cmdb.tests import estate
from steward.core.errors import NotFound
from steward.identity.models import Person, Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def e(classes):
    return estate.build(classes)


@pytest.fixture
def agent(db):
    return factories.person(roles=(Role.AGENT,))


def names(cis):
    return [ci.name for ci in cis]


def impacted(result):
    return {ci.name: hops for ci, hops in result.impacted}


def summary(result):
    return [
        (
            s.service.code,
            s.everywhere,
            s.everyone,
            [d.code for d in s.departments],
            [site.code for site in s.sites],
            s.people,
        )
        for s in result.services
    ]


def test_a_store_router_takes_down_checkout_at_that_store_only(e, agent):
    result = impact_for(user=agent, ci_ids=[e.router1.ci_id])
    assert names(result.start) == ["router1"]
    assert impacted(result) == {"pos1a": 1, "pos1b": 1, "门店收银": 2}
    assert result.impacted_count == 3
    assert summary(result) == [("POS", False, False, [], ["S1"], 2)]
    assert (result.people, [s.code for s in result.sites], result.departments) == (2, ["S1"], [])
    assert [(ci.name, hops, n) for ci, hops, n in result.upstream] == [
        ("bb1", 1, 1),
        ("lte1", 1, 1),
    ]


def test_one_line_down_is_survived_by_its_redundancy_group(e, agent):
    result = impact_for(user=agent, ci_ids=[e.bb1.ci_id])
    assert (result.impacted_count, result.services, result.people) == (0, [], 0)
    assert [(g.code, names(up)) for g, up in result.surviving_groups] == [("ACCESS-S1", ["lte1"])]


def test_both_lines_down_pass_the_impact_on(e, agent):
    result = impact_for(user=agent, ci_ids=[e.bb1.ci_id, e.lte1.ci_id])
    assert impacted(result) == {"router1": 1, "pos1a": 2, "pos1b": 2, "门店收银": 3}
    assert result.surviving_groups == []
    assert summary(result) == [("POS", False, False, [], ["S1"], 2)]


def test_a_member_in_maintenance_does_not_count_as_up(e, agent):
    services.ci_transition(actor=None, ci=e.lte1, action="start_maintenance")
    result = impact_for(user=agent, ci_ids=[e.bb1.ci_id])
    assert impacted(result) == {"router1": 1, "pos1a": 2, "pos1b": 2, "门店收银": 3}


def test_the_erp_database_cluster_needs_both_nodes_down(e, agent):
    one = impact_for(user=agent, ci_ids=[e.db1.ci_id])
    assert one.impacted_count == 0
    assert [(g.code, names(up)) for g, up in one.surviving_groups] == [("ERPDB", ["db2"])]
    both = impact_for(user=agent, ci_ids=[e.db1.ci_id, e.db2.ci_id])
    assert impacted(both) == {"erp_app": 1, "ERP 系统": 2, "仓储管理": 3}
    assert summary(both) == [
        ("ERP", True, False, ["HQ"], [], 4),
        ("WMS", True, False, ["LOG"], [], 2),
    ]
    assert (both.people, [d.code for d in both.departments], both.sites) == (6, ["HQ", "LOG"], [])


def test_the_data_centre_core_affects_everyone(e, agent):
    result = impact_for(user=agent, ci_ids=[e.core.ci_id])
    assert impacted(result) == {
        "erp_app": 1,
        "pos_central": 1,
        "mail": 1,
        "ERP 系统": 2,
        "门店收银": 2,
        "企业邮箱": 2,
        "pos1a": 2,
        "pos1b": 2,
        "pos2": 2,
        "仓储管理": 3,
    }
    everyone = Person.objects.filter(is_active=True).count()
    assert summary(result) == [
        ("ERP", True, False, ["HQ"], [], 4),
        ("POS", True, False, [], ["S1", "S2"], 3),
        ("EMAIL", True, True, [], [], everyone),
        ("WMS", True, False, ["LOG"], [], 2),
    ]
    assert (result.people, result.everyone) == (everyone, True)
    assert [s.code for s in result.sites] == ["S1", "S2"]


def test_retired_cis_are_not_impacted(e, agent):
    services.ci_retire(actor=None, ci=e.pos1b)
    result = impact_for(user=agent, ci_ids=[e.router1.ci_id])
    assert impacted(result) == {"pos1a": 1, "门店收银": 2}


def test_root_cause_candidates_rank_what_explains_most_first(e, agent):
    result = impact_for(user=agent, ci_ids=[e.pos1a.ci_id, e.pos2.ci_id])
    assert [(ci.name, hops, n) for ci, hops, n in result.upstream] == [
        ("pos_central", 1, 2),
        ("core", 2, 2),
        ("router1", 1, 1),
        ("router2", 1, 1),
        ("bb1", 2, 1),
        ("lte1", 2, 1),
    ]


def test_a_start_ci_is_not_listed_as_impacted_and_the_list_is_capped(e, agent):
    result = impact_for(user=agent, ci_ids=[e.router1.ci_id, e.pos1a.ci_id], limit=1)
    assert (names(result.start), result.impacted_count) == (["router1", "pos1a"], 2)
    assert impacted(result) == {"门店收银": 1}


def test_requesters_and_unknown_cis_get_not_found(e):
    requester = factories.person()
    with pytest.raises(NotFound):
        impact_for(user=requester, ci_ids=[e.core.ci_id])
    with pytest.raises(NotFound) as caught:
        impact_for(user=factories.person(roles=(Role.AGENT,)), ci_ids=["CI-999999"])
    assert caught.value.message == "No configuration item CI-999999."
