"""The pure walks on a graph held in memory."""

from __future__ import annotations

from steward.cmdb.graph import ALL, MemoryGraph, Node, downstream, location_scopes


def test_location_scope_is_the_union_of_the_impacting_sites():
    graph = MemoryGraph.build(
        [
            Node(1, "in_use", site=10),
            Node(2, "in_use", site=20),
            Node(3, "in_use"),
            Node(4, "in_use", site=30),
            Node(5, "in_use", site=99),
        ],
        [(1, 3), (2, 3), (3, 4), (5, 4)],
    )
    result = downstream(graph, [1, 2])
    assert location_scopes(result, hosting_sites={99}) == {
        1: frozenset({10}),
        2: frozenset({20}),
        3: frozenset({10, 20}),
        4: frozenset({10, 20, 30}),
    }
    from_hosting = downstream(graph, [5])
    assert location_scopes(from_hosting, hosting_sites={99}) == {5: ALL, 4: ALL}


def test_a_loop_is_walked_once():
    graph = MemoryGraph.build([Node(n, "in_use") for n in (1, 2, 3)], [(1, 2), (2, 3), (3, 1)])
    assert downstream(graph, [1]).distance == {1: 0, 2: 1, 3: 2}


def test_unknown_and_retired_start_cis_impact_nothing():
    graph = MemoryGraph.build([Node(1, "retired"), Node(2, "in_use")], [(1, 2)])
    result = downstream(graph, [1, 42])
    assert (result.start, result.distance, result.impacted) == ([], {}, [])
