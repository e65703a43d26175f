"""Console › CMDB › Impact analysis: the analysis of one or several failed CIs, and the
server-drawn SVG graph that must stay readable at 200 nodes."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse

from steward.cmdb import index
from steward.cmdb.tests import estate
from steward.cmdb.tests.conftest import classes  # noqa: F401
from steward.console import cmdb_graph
from steward.console.cmdb_graph import GraphNode, layout
from steward.identity.models import Role
from steward.testing import factories

NODE = re.compile(r'<a href="([^"]+)" class="node" data-id="(\d+)" data-x="(\d+)" '
                  r'data-y="(\d+)" data-layer="(\d+)">\s*<title>([^<]*)</title>')
EDGE = re.compile(r'data-source="(\d+)" data-target="(\d+)"')


@pytest.fixture(autouse=True)
def fresh_index():
    index.reset()
    yield
    index.reset()


@pytest.fixture
def agent(db):
    return factories.person(roles=(Role.AGENT,))


def client_for(person, language="en"):
    client = Client()
    client.force_login(person)
    client.post("/language/", {"language": language})
    return client


def assert_readable(nodes, edges):
    """Every node has its own position, nodes of one layer keep the minimum spacing, and
    every edge joins two drawn nodes."""
    positions = [(x, y) for _id, x, y, _layer in nodes]
    assert len(set(positions)) == len(positions)
    by_layer = defaultdict(list)
    for _id, x, y, layer in nodes:
        by_layer[layer].append((x, y))
    for placed in by_layer.values():
        assert len({x for x, _y in placed}) == 1
        rows = sorted(y for _x, y in placed)
        assert all(b - a >= cmdb_graph.NODE_H + 8 for a, b in zip(rows, rows[1:], strict=False))
    columns = sorted({x for _id, x, _y, _layer in nodes})
    assert all(b - a >= cmdb_graph.NODE_W + 16 for a, b in zip(columns, columns[1:],
                                                                 strict=False))
    ids = {node_id for node_id, *_rest in nodes}
    assert all(source in ids and target in ids for source, target in edges)


# ---------- the layout (pure) ----------

def test_a_200_node_layout_keeps_every_node_apart_and_edges_on_nodes():
    nodes = [GraphNode(id=0, label="核心交换机", title="CI-0", family="network",
                       status="in_use", distance=0, start=True)]
    edges = []
    for n in range(1, 200):
        distance = 1 if n <= 20 else (2 if n <= 120 else 3)
        nodes.append(GraphNode(id=n, label=f"门店收银终端 POS 第{n}号机", title=f"CI-{n}",
                               family=("hardware", "software", "service")[n % 3],
                               status=("in_use", "maintenance", "planned")[n % 3],
                               distance=distance))
        edges.append((0 if distance == 1 else (n % 20) + 1 if distance == 2 else n - 100, n))
    edges.append((5, 9999))

    result = layout(nodes, edges)

    assert len(result.nodes) == 200
    assert_readable([(p.node.id, p.x, p.y, p.node.distance) for p in result.nodes],
                    [(e.source, e.target) for e in result.edges])
    assert len(result.edges) == 199
    assert result.height >= max(p.y for p in result.nodes) + cmdb_graph.NODE_H
    assert result.width >= max(p.x for p in result.nodes) + cmdb_graph.NODE_W
    assert {p.short_label for p in result.nodes if p.node.id == 150} == {"门店收银终端 POS…"}
    assert len({(p.shape, p.fill) for p in result.nodes}) == 4
    assert [s for s, _stroke, _dash in result.statuses] == ["in_use", "planned", "maintenance"]


def test_labels_are_cut_to_fit_counting_wide_characters_double():
    assert cmdb_graph.shorten("erp-db-01") == "erp-db-01"
    assert cmdb_graph.shorten("a" * 30) == "a" * 18 + "…"
    assert cmdb_graph.shorten("数据中心核心交换机一号") == "数据中心核心交换机…"


# ---------- the page ----------

def test_a_store_router_failure_shows_services_sites_people_redundancy_and_causes(
    agent, classes  # noqa: F811
):
    e = estate.build(classes)

    response = client_for(agent).get(reverse("console:cmdb_impact"), {"ci": e.router1.ci_id})

    html = response.content.decode()
    result = response.context["result"]
    assert response.status_code == 200
    assert [(ci.name, hops) for ci, hops in result.impacted] == [
        ("pos1a", 1), ("pos1b", 1), ("门店收银", 2)]
    assert [(s.service.code, [site.code for site in s.sites], s.people)
            for s in result.services] == [("POS", ["S1"], 2)]
    assert [name for name, *_ in response.context["graph"].families] == ["服务", "软件"]
    assert [ci.name for ci, _d, _n in result.upstream] == ["bb1", "lte1"]
    nodes = NODE.findall(html)
    assert sorted(title.split(" ")[0] for *_r, title in nodes) == sorted(
        [e.router1.ci_id, e.pos1a.ci_id, e.pos1b.ci_id, e.pos_ci.ci_id])
    assert (reverse("console:cmdb_ci", args=[e.pos1a.ci_id]), ) == tuple(
        link for link, *_r in nodes if link.endswith(f"{e.pos1a.ci_id}/"))
    assert_readable([(int(i), int(x), int(y), int(layer)) for _l, i, x, y, layer, _t in nodes],
                    [(int(s), int(t)) for s, t in EDGE.findall(html)])
    assert len(EDGE.findall(html)) == 4
    assert 'id="impact-hidden"' not in html


def test_several_picked_cis_and_redundancy_that_holds(agent, classes):  # noqa: F811
    e = estate.build(classes)

    one = client_for(agent).get(reverse("console:cmdb_impact"), {"ci": [e.db1.ci_id]})
    both = client_for(agent).get(reverse("console:cmdb_impact"),
                                 {"cis": f"{e.db1.ci_id}, {e.db2.ci_id}"})

    assert one.context["result"].impacted_count == 0
    assert [(g.code, [m.name for m in members])
            for g, members in one.context["result"].surviving_groups] == [("ERPDB", ["db2"])]
    assert 'id="impact-surviving"' in one.content.decode()
    assert [s.service.code for s in both.context["result"].services] == ["ERP", "WMS"]
    assert both.context["result"].people == 6


def test_an_unknown_ci_is_a_404_with_the_form(agent):
    response = client_for(agent).get(reverse("console:cmdb_impact"), {"cis": "CI-424242"})

    assert response.status_code == 404
    assert response.context["form"].errors["cis"] == ["No configuration item CI-424242."]


def test_without_a_ci_the_page_is_the_picker(agent):
    response = client_for(agent, "zh-hans").get(reverse("console:cmdb_impact"))

    assert response.status_code == 200
    assert "result" not in response.context
    assert 'name="cis"' in response.content.decode()


def test_beyond_200_impacted_cis_the_nearest_200_are_drawn_and_the_rest_counted(
    agent, classes  # noqa: F811
):
    core = factories.ci(ci_class=classes["hardware"], name="core-switch")
    first = [factories.ci(ci_class=classes["software"], name=f"app-{n:03d}")
             for n in range(150)]
    for app in first:
        factories.relation(app, "depends_on", core)
    for n in range(54):
        factories.relation(factories.ci(ci_class=classes["service"], name=f"svc-{n:03d}"),
                           "depends_on", first[n])

    response = client_for(agent).get(reverse("console:cmdb_impact"), {"ci": core.ci_id})

    html = response.content.decode()
    nodes = NODE.findall(html)
    assert response.context["result"].impacted_count == 204
    assert response.context["hidden"] == 4
    assert "4 more impacted CIs are not drawn (the nearest 200 are)." in html
    assert len(nodes) == 201
    assert sorted({int(layer) for *_r, layer, _t in nodes}) == [0, 1, 2]
    assert sum(1 for *_r, layer, _t in nodes if layer == "2") == 50
    assert_readable([(int(i), int(x), int(y), int(layer)) for _l, i, x, y, layer, _t in nodes],
                    [(int(s), int(t)) for s, t in EDGE.findall(html)])
    assert len(EDGE.findall(html)) == 200
