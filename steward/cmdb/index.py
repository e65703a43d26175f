"""The CI graph held in memory per process, kept fresh from the CMDB history.

Impact analysis walks this index instead of querying the database level by level: a walk of
thousands of CIs then costs what it costs networkx, not one round trip per level.

Freshness. Every write that can change the graph (a CI created, its status, site, service or
redundancy group changed, a relation added or removed) writes ``CiChange`` rows naming the
CIs, and ``history.record`` allocates their ids under a lock held to commit, so ids become
visible in order. ``GraphIndex.refresh`` reads the rows after the last one applied (one
indexed query) and reloads just those CIs and their relations. It polls at most every
``MAX_AGE`` seconds; a write in this process marks the index stale at once, so a process sees
its own writes immediately and other processes' writes within ``MAX_AGE``. If the last
applied row is gone (a rolled-back transaction, a restored database) or too much changed,
the index reloads everything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from typing import Any

from django.db import connection

from steward.cmdb.graph import Node
from steward.cmdb.models import CiChange, ConfigurationItem, Relation

MAX_AGE = 1.0
"""Seconds between polls for other processes' changes."""
MAX_DELTA = 2000
"""More changed history rows than this since the last refresh: reload everything."""
NEVER = float("-inf")
"""``checked_at`` of an index that must poll on its next refresh."""

_CI = ConfigurationItem._meta.db_table
_REL = Relation._meta.db_table
_CHANGE = CiChange._meta.db_table
_NODE_COLUMNS = "id, status, redundancy_group_id, site_id, service_id"
# The SQL below is built from these table and column names only; every value is a parameter.


def _in(column: str, ids: Collection[int]) -> tuple[str, list[Any]]:
    """``column IN ids`` as one parameter, whatever the number of ids."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    import json

    clause = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - ids are a parameter
    return clause, [json.dumps(list(ids))]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


class GraphIndex:
    """Adjacency of the impact graph plus what the walk needs of each CI (``graph.Node``)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.loaded = False
        self.nodes_by_id: dict[int, Node] = {}
        self.out: dict[int, list[int]] = {}
        self.inc: dict[int, list[int]] = {}
        self.members: dict[int, list[int]] = {}
        self.mark: tuple[int, int, Any] | None = None
        # "Never checked" is minus infinity, not 0: the monotonic clock may start near 0
        # (a machine up for less than MAX_AGE), and 0 would then read as "just checked".
        self.checked_at = NEVER
        self.reloads = 0

    # -- freshness -------------------------------------------------------------------------

    def mark_stale(self) -> None:
        self.checked_at = NEVER

    def refresh(self, *, max_age: float = MAX_AGE) -> None:
        """Bring the index up to date with the database (see the module docstring)."""
        with self.lock:
            now = time.monotonic()
            if self.loaded and now - self.checked_at < max_age:
                return
            if not self.loaded:
                self._reload()
            else:
                self._catch_up()
            # Inside a transaction the index may have read rows that are not committed yet
            # (and may never be): poll again next time, which reloads if they vanished.
            self.checked_at = NEVER if connection.in_atomic_block else time.monotonic()

    def _last_mark(self) -> tuple[int, int, Any] | None:
        rows = _fetch(
            f"SELECT id, ci_id, changed_at FROM {_CHANGE} ORDER BY id DESC LIMIT 1",  # noqa: S608
            [],
        )
        return (int(rows[0][0]), int(rows[0][1]), rows[0][2]) if rows else None

    def _catch_up(self) -> None:
        since = self.mark[0] if self.mark else 0
        rows = _fetch(
            f"SELECT id, ci_id, other_ci_id, changed_at FROM {_CHANGE} "  # noqa: S608
            f"WHERE id >= %s ORDER BY id LIMIT {MAX_DELTA + 1}",
            [since],
        )
        if self.mark is not None:
            head = rows[0] if rows else None
            if head is None or (head[0], head[1], head[3]) != self.mark:
                self._reload()
                return
            rows = rows[1:]
        if len(rows) >= MAX_DELTA:
            self._reload()
            return
        if not rows:
            return
        changed = {int(r[1]) for r in rows} | {int(r[2]) for r in rows if r[2] is not None}
        self._reload_cis(changed)
        last = rows[-1]
        self.mark = (int(last[0]), int(last[1]), last[3])

    # -- loading ---------------------------------------------------------------------------

    def _reload(self) -> None:
        mark = self._last_mark()
        nodes = {
            int(row[0]): Node(*row)
            for row in _fetch(f"SELECT {_NODE_COLUMNS} FROM {_CI}", [])  # noqa: S608
        }
        out: dict[int, list[int]] = {}
        inc: dict[int, list[int]] = {}
        edges = _fetch(
            f"SELECT provider_id, dependant_id FROM {_REL} "  # noqa: S608
            "WHERE provider_id IS NOT NULL",
            [],
        )
        for provider, dependant in edges:
            out.setdefault(provider, []).append(dependant)
            inc.setdefault(dependant, []).append(provider)
        members: dict[int, list[int]] = {}
        for node in nodes.values():
            if node.group is not None:
                members.setdefault(node.group, []).append(node.id)
        self.nodes_by_id, self.out, self.inc, self.members = nodes, out, inc, members
        self.mark = mark
        self.loaded = True
        self.reloads += 1

    def _reload_cis(self, ids: set[int]) -> None:
        """Re-read these CIs and every relation touching them."""
        clause, params = _in("id", ids)
        fresh = {
            int(row[0]): Node(*row)
            for row in _fetch(f"SELECT {_NODE_COLUMNS} FROM {_CI} WHERE {clause}", params)  # noqa: S608
        }
        touched_groups: set[int] = set()
        for ci in ids:
            old = self.nodes_by_id.pop(ci, None)
            if old is not None and old.group is not None:
                touched_groups.add(old.group)
            for dependant in self.out.pop(ci, []):
                self.inc[dependant].remove(ci)
            for provider in self.inc.pop(ci, []):
                self.out[provider].remove(ci)
        for ci, node in fresh.items():
            self.nodes_by_id[ci] = node
            if node.group is not None:
                touched_groups.add(node.group)
        by_provider, p_params = _in("provider_id", ids)
        by_dependant, d_params = _in("dependant_id", ids)
        edges = _fetch(
            f"SELECT provider_id, dependant_id FROM {_REL} "  # noqa: S608
            f"WHERE {by_provider} OR {by_dependant}",
            p_params + d_params,
        )
        for provider, dependant in edges:
            self.out.setdefault(provider, []).append(dependant)
            self.inc.setdefault(dependant, []).append(provider)
        for group in touched_groups:
            self.members.pop(group, None)
        for node in self.nodes_by_id.values() if touched_groups else ():
            if node.group in touched_groups:
                self.members.setdefault(node.group, []).append(node.id)


_index = GraphIndex()


def graph_index() -> GraphIndex:
    """This process's index, refreshed (see the module docstring)."""
    _index.refresh()
    return _index


def mark_stale() -> None:
    """Called after a graph change: the next walk polls the history first."""
    _index.mark_stale()


def reset() -> None:
    """Forget everything (tests, and after restoring a database)."""
    global _index
    _index = GraphIndex()
