"""The in-memory graph index follows the database through the history, cheaply and exactly."""

from __future__ import annotations

import pytest

from steward.cmdb import index, services
from steward.cmdb.graph import Node
from steward.cmdb.models import RedundancyGroup
from steward.cmdb.tests import estate

pytestmark = pytest.mark.django_db


def shape(graph):
    """Everything the walks read, in a comparable form."""
    return (
        dict(graph.nodes_by_id),
        {k: sorted(v) for k, v in graph.out.items() if v},
        {k: sorted(v) for k, v in graph.inc.items() if v},
        {k: sorted(v) for k, v in graph.members.items() if v},
    )


def full_load():
    fresh = index.GraphIndex()
    fresh.refresh()
    return fresh


def test_a_walk_sees_this_process_s_writes_at_once(classes):
    e = estate.build(classes)
    first = index.graph_index()
    assert e.router2.pk not in first.out.get(e.bb1.pk, [])
    services.relation_add(actor=None, source=e.router2, kind="connects_to", target=e.bb1)
    again = index.graph_index()
    assert e.router2.pk in again.out[e.bb1.pk]
    assert again.nodes_by_id[e.router2.pk] == Node(e.router2.pk, "in_use", None, e.s2.pk, None)


def test_changes_are_applied_as_deltas_that_equal_a_full_reload(classes):
    e = estate.build(classes)
    live = index.graph_index()
    services.relation_add(actor=None, source=e.mail, kind="depends_on", target=e.db1)
    services.relation_remove(actor=None, relation=e.router1.outgoing.get(target=e.bb1))
    services.ci_retire(actor=None, ci=e.pos2)
    services.group_create(actor=None, code="CORE", name="核心", members=[e.core, e.router2])
    services.group_set_members(
        actor=None, group=RedundancyGroup.objects.get(code="ERPDB"), members=[e.db2]
    )
    newcomer = services.ci_create(actor=None, ci_class=classes["software"], name="new")
    services.relation_add(actor=None, source=newcomer, kind="runs_on", target=e.core)
    live.refresh(max_age=0)
    assert shape(live) == shape(full_load())
    assert live.reloads == 1
    assert live.out[e.db1.pk].count(e.mail.pk) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_process_catches_up_when_it_polls(classes):
    e = estate.build(classes)
    other = index.GraphIndex()
    other.refresh()
    services.relation_add(actor=None, source=e.mail, kind="depends_on", target=e.db1)
    other.refresh(max_age=3600)
    assert e.mail.pk not in other.out.get(e.db1.pk, [])
    other.refresh(max_age=0)
    assert e.mail.pk in other.out[e.db1.pk]
    assert other.reloads == 1


def test_inside_a_transaction_the_index_polls_every_time(classes):
    e = estate.build(classes)
    other = index.GraphIndex()
    other.refresh()
    services.relation_add(actor=None, source=e.mail, kind="depends_on", target=e.db1)
    other.refresh(max_age=3600)
    assert e.mail.pk in other.out[e.db1.pk]


def test_a_lost_history_row_or_a_large_delta_reloads_everything(classes, monkeypatch):
    e = estate.build(classes)
    live = index.graph_index()
    live.mark = (live.mark[0], live.mark[1], "a different time")
    live.refresh(max_age=0)
    assert live.reloads == 2
    monkeypatch.setattr(index, "MAX_DELTA", 2)
    services.ci_update(actor=None, ci=e.core, changes={"name": "core-2", "criticality": 1})
    services.ci_update(actor=None, ci=e.core, changes={"name": "core-3"})
    live.refresh(max_age=0)
    assert live.reloads == 3
    assert shape(live) == shape(full_load())
