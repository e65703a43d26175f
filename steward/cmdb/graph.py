"""Impact propagation over the CI graph: pure algorithms, no Django.

The walks read a ``Graph``: CIs (``Node``) and the impact edges held in memory as adjacency
lists (``cmdb.index.GraphIndex`` in production, ``MemoryGraph`` in tests).

Rules (see docs/processes/cmdb.md):

- Impact flows from a provider to its dependants (``Relation.provider`` → ``dependant``).
- Retired CIs are out of service: they are neither impacted nor pass impact on.
- A provider that belongs to a redundancy group passes impact on only once the whole group
  is down: every member is impacted (or a start CI) or not in use (planned, in maintenance,
  retired). Until then the group *survives* and is reported as such.
- Location scope: a start CI at a store, office or warehouse affects that site; one with no
  site or in a data centre affects every site. A dependant's scope is the union of its
  impacting providers' scopes plus its own site (unless that is a data centre).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

RETIRED = "retired"
IN_USE = "in_use"


@dataclass(frozen=True, slots=True)
class Node:
    """What the walks need to know about a CI."""

    id: int
    status: str
    group: int | None = None
    site: int | None = None
    service: int | None = None


class Graph(Protocol):
    @property
    def nodes_by_id(self) -> Mapping[int, Node]: ...

    @property
    def out(self) -> Mapping[int, Sequence[int]]:
        """provider → its dependants"""
        ...

    @property
    def inc(self) -> Mapping[int, Sequence[int]]:
        """dependant → its providers"""
        ...

    @property
    def members(self) -> Mapping[int, Sequence[int]]:
        """redundancy group → its member CIs"""
        ...


@dataclass
class MemoryGraph:
    """A ``Graph`` built from nodes and ``(provider, dependant)`` edges."""

    nodes_by_id: dict[int, Node] = field(default_factory=dict)
    out: dict[int, list[int]] = field(default_factory=dict)
    inc: dict[int, list[int]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, nodes: Iterable[Node], edges: Iterable[tuple[int, int]]) -> MemoryGraph:
        graph = cls()
        for node in nodes:
            graph.nodes_by_id[node.id] = node
            if node.group is not None:
                graph.members.setdefault(node.group, []).append(node.id)
        for provider, dependant in edges:
            graph.out.setdefault(provider, []).append(dependant)
            graph.inc.setdefault(dependant, []).append(provider)
        return graph


@dataclass
class Downstream:
    """Everything impacted by the failure of the ``start`` CIs, and how."""

    start: list[int]
    nodes: dict[int, Node]
    distance: dict[int, int]
    """CI → number of hops from the nearest start CI (0 for the start CIs)."""
    edges: list[tuple[int, int]]
    """The (provider, dependant) edges that carried impact."""
    surviving_groups: dict[int, list[int]]
    """Redundancy group → its members still up, for groups that stopped the impact."""

    @property
    def impacted(self) -> list[int]:
        """Impacted CIs other than the start CIs, nearest first."""
        return sorted(
            (ci for ci, hops in self.distance.items() if hops),
            key=lambda ci: (self.distance[ci], ci),
        )


def downstream(graph: Graph, start: Iterable[int]) -> Downstream:
    """Everything impacted when the ``start`` CIs fail, honouring redundancy groups."""
    nodes, out, members = graph.nodes_by_id, graph.out, graph.members
    start_ids = [ci for ci in dict.fromkeys(start) if ci in nodes and nodes[ci].status != RETIRED]
    distance = dict.fromkeys(start_ids, 0)
    edges: list[tuple[int, int]] = []
    down_groups: set[int] = set()
    seen_groups: set[int] = set()
    frontier, level = start_ids, 0
    while frontier:
        passing: list[int] = []
        for ci in frontier:
            group = nodes[ci].group
            if group is None or group in down_groups:
                passing.append(ci)
                continue
            seen_groups.add(group)
            group_members = members.get(group, ())
            if all(m in distance or nodes[m].status != IN_USE for m in group_members):
                down_groups.add(group)
                passing += [m for m in group_members if m in distance]
        level += 1
        frontier = []
        for provider in passing:
            for dependant in out.get(provider, ()):
                if nodes[dependant].status == RETIRED:
                    continue
                edges.append((provider, dependant))
                if dependant not in distance:
                    distance[dependant] = level
                    frontier.append(dependant)
    surviving = {
        group: [m for m in members[group] if m not in distance and nodes[m].status == IN_USE]
        for group in sorted(seen_groups - down_groups)
    }
    return Downstream(
        start=start_ids,
        nodes={ci: nodes[ci] for ci in distance},
        distance=distance,
        edges=edges,
        surviving_groups=surviving,
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """An upstream CI that may be the root cause of the failures of ``explains`` start CIs."""

    node: Node
    distance: int
    explains: int


def upstream(graph: Graph, start: Iterable[int], *, limit: int = 200) -> list[Candidate]:
    """Root-cause candidates: the CIs the ``start`` CIs depend on, directly or not.

    Ranked by how many start CIs each explains, then single points of failure before
    members of a redundancy group (one member alone cannot explain a failure), then
    nearness, then id. Redundancy does not prune here: every provider is a candidate. A
    start CI that another start CI depends on is a candidate too.
    """
    nodes, inc = graph.nodes_by_id, graph.inc
    origins = [ci for ci in dict.fromkeys(start) if ci in nodes and nodes[ci].status != RETIRED]
    nearest: dict[int, int] = {}
    explains: dict[int, int] = {}
    for origin in origins:
        seen = {origin: 0}
        frontier, level = [origin], 0
        while frontier:
            level += 1
            following = []
            for dependant in frontier:
                for provider in inc.get(dependant, ()):
                    if provider not in seen and nodes[provider].status != RETIRED:
                        seen[provider] = level
                        following.append(provider)
            frontier = following
        del seen[origin]
        for ci, hops in seen.items():
            explains[ci] = explains.get(ci, 0) + 1
            if hops < nearest.get(ci, hops + 1):
                nearest[ci] = hops

    def rank(ci: int) -> tuple[int, bool, int, int]:
        return (-explains[ci], nodes[ci].group is not None, nearest[ci], ci)

    chosen = heapq.nsmallest(limit, explains, key=rank)
    return [Candidate(node=nodes[ci], distance=nearest[ci], explains=explains[ci]) for ci in chosen]


ALL = None
"""The scope of an impact that reaches every site (see ``location_scopes``)."""

Scope = frozenset[int] | None


def location_scopes(result: Downstream, hosting_sites: Iterable[int]) -> dict[int, Scope]:
    """The sites each impacted CI affects: a set of site ids, or ``ALL`` (None)."""
    hosting = set(hosting_sites)
    starts = set(result.start)
    scopes: dict[int, Scope] = {}
    for ci, node in result.nodes.items():
        if node.site is not None and node.site not in hosting:
            scopes[ci] = frozenset({node.site})
        else:
            scopes[ci] = ALL if ci in starts else frozenset()
    into: dict[int, list[int]] = {}
    for provider, dependant in result.edges:
        into.setdefault(provider, []).append(dependant)
    # Everything an everywhere-scoped CI reaches is everywhere-scoped: one pass.
    pending = [ci for ci, scope in scopes.items() if scope is ALL]
    while pending:
        for dependant in into.get(pending.pop(), ()):
            if scopes[dependant] is not ALL:
                scopes[dependant] = ALL
                pending.append(dependant)
    # The rest only gather the sites of their impacting providers.
    pending = [ci for ci, scope in scopes.items() if scope]
    while pending:
        provider = pending.pop()
        scope = scopes[provider]
        for dependant in into.get(provider, ()):
            current = scopes[dependant]
            if current is ALL or scope is ALL or scope <= current:
                continue
            scopes[dependant] = current | scope
            pending.append(dependant)
    return scopes
