"""Impact analysis on a large CMDB: 100,000 CIs and 500,000 relations.

Run: ``.venv/bin/python benchmarks/cmdb_bench.py [--cis N] [--relations N] [--queries N]``
(SQLite in a temporary STEWARD_HOME, removed afterwards), and with
``STEWARD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_cmdb`` for PostgreSQL (the
database is created fresh and dropped afterwards). Needs ``networkx`` (the ``bench`` extra).

The CMDB is a retail chain scaled up: a data centre (core and distribution switches in
redundant pairs, WAN points of presence, SAN pairs, hypervisor hosts, VMs, databases,
applications, some on VM pairs), catalogue services that use the applications, and stores
with a router, broadband and 4G lines (a redundancy group), a switch, an access point, POS
terminals with their printers and scanners that depend on the central store applications,
office PCs and a video recorder. CIs and relations are bulk-inserted.

Measured, from the same random start CIs: the downstream walk (impacted CIs, honouring
redundancy) and the upstream walk (root-cause candidates) of ``steward.cmdb`` on its graph
index, the same walks done with networkx on a DiGraph held in memory (results are compared
and must be equal), and the full impact analysis as the API returns it (services,
customers, people affected). Goals: the walks' p95 within 2x of networkx, and the full
analysis' p95 under 100 ms (the goal is set for PostgreSQL; SQLite is held to it too).
Exits 1 if a goal or a comparison fails. Takes about 1.5 minutes per database.
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STORE_DEVICES = 26  # router, 2 lines, switch, AP, 6 POS, 6 printers, 6 scanners, 2 PCs, NVR


@dataclass
class Blueprint:
    """The generated CMDB: CIs as (class code, name, site index or None, group or None)."""

    cis: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    relations: set[tuple[int, int, str]] = field(default_factory=set)
    groups: int = 0
    stores: int = 0
    service_cis: list[int] = field(default_factory=list)

    def add(self, cls: str, name: str, site: int | None = None, group: int | None = None) -> int:
        self.cis.append((cls, name, site, group))
        return len(self.cis) - 1

    def group(self) -> int:
        self.groups += 1
        return self.groups

    def pair(self, cls: str, name: str, site: int | None = None) -> list[int]:
        group = self.group()
        return [self.add(cls, f"{name}-{x}", site, group) for x in "ab"]

    def rel(self, source: int, kind: str, target: int) -> None:
        self.relations.add((source, target, kind))


def blueprint(cis: int, relations: int, seed: int) -> Blueprint:
    rng = random.Random(seed)
    bp = Blueprint()
    services = [bp.add("service", f"SVC{n:02d}") for n in range(40)]
    bp.service_cis = services
    dc = 0  # site index 0 is the data centre
    core = bp.pair("switch", "core", dc)
    pops = [bp.pair("router", f"pop{n}", dc) for n in range(10)]
    dist = [bp.pair("switch", f"dist{n}", dc) for n in range(20)]
    sans = [bp.pair("storage", f"san{n}", dc) for n in range(4)]
    for member in [m for pair in pops + dist for m in pair]:
        for c in core:
            bp.rel(member, "connects_to", c)
    hosts = [bp.add("server", f"host{n:03d}", dc) for n in range(600)]
    for host in hosts:
        for member in rng.choice(dist) + rng.choice(sans):
            bp.rel(host, "connects_to" if member in sum(dist, []) else "depends_on", member)
    vms = [bp.add("vm", f"vm{n:04d}", dc) for n in range(6000)]
    for vm in vms:
        bp.rel(vm, "hosted_in", rng.choice(hosts))
    free_vms = list(vms)
    rng.shuffle(free_vms)
    dbs = []
    for n in range(400):
        db = bp.add("database", f"db{n:03d}", dc)
        bp.rel(db, "runs_on", free_vms.pop())
        dbs.append(db)
    apps = []
    for n in range(1200):
        app = bp.add("application", f"app{n:04d}", dc)
        if n % 2 == 0:  # half the applications run on a redundant VM pair
            group = bp.group()
            for _ in range(2):
                vm = free_vms.pop()
                bp.cis[vm] = (*bp.cis[vm][:3], group)
                bp.rel(app, "runs_on", vm)
        else:
            bp.rel(app, "runs_on", free_vms.pop())
        for db in rng.sample(dbs, rng.randint(1, 2)):
            bp.rel(app, "depends_on", db)
        bp.rel(app, "used_by", rng.choice(services))
        apps.append(app)
    store_apps = apps[:30:2]  # store applications run on VM pairs
    for service in services[1:]:
        if rng.random() < 0.3:
            bp.rel(service, "depends_on", rng.choice(services[: services.index(service)]))
    bp.stores = (cis - len(bp.cis)) // STORE_DEVICES
    pos_service, net_service, office_service = services[0], services[1], services[2]
    pos_terminals: list[int] = []
    for s in range(1, bp.stores + 1):
        lines = [bp.add("line", f"s{s}-bb", s), bp.add("line", f"s{s}-4g", s)]
        group = bp.group()
        bp.cis[lines[0]] = (*bp.cis[lines[0]][:3], group)
        bp.cis[lines[1]] = (*bp.cis[lines[1]][:3], group)
        router = bp.add("router", f"s{s}-router", s)
        switch = bp.add("switch", f"s{s}-switch", s)
        ap = bp.add("switch", f"s{s}-ap", s)
        pop = pops[s % len(pops)]
        for line in lines:
            for p in pop:
                bp.rel(line, "connects_to", p)
            bp.rel(router, "connects_to", line)
        bp.rel(switch, "connects_to", router)
        bp.rel(ap, "connects_to", switch)
        for device in (router, switch, ap):
            bp.rel(device, "used_by", net_service)
        for n in range(6):
            pos = bp.add("pos", f"s{s}-pos{n}", s)
            printer = bp.add("printer", f"s{s}-prn{n}", s)
            scanner = bp.add("printer", f"s{s}-scan{n}", s)
            bp.rel(pos, "connects_to", switch)
            bp.rel(pos, "depends_on", printer)
            bp.rel(pos, "depends_on", scanner)
            bp.rel(pos, "used_by", pos_service)
            for app in store_apps[:8]:
                bp.rel(pos, "depends_on", app)
            pos_terminals.append(pos)
        for n in range(2):
            pc = bp.add("pc", f"s{s}-pc{n}", s)
            bp.rel(pc, "connects_to", switch)
            bp.rel(pc, "used_by", office_service)
            for app in apps[1:8:2]:
                bp.rel(pc, "depends_on", app)
        bp.rel(bp.add("nvr", f"s{s}-nvr", s), "connects_to", switch)
    while len(bp.cis) < cis:
        bp.rel(bp.add("vm", f"spare{len(bp.cis)}", dc), "hosted_in", rng.choice(hosts))
    extra = store_apps[8:] + apps[30:60]
    while len(bp.relations) < relations:
        bp.rel(rng.choice(pos_terminals), "depends_on", rng.choice(extra))
    return bp


# ---------------------------------------------------------------------------------------------


_TEMPORARY_HOME: list[str] = []


def _prepare_environment() -> str:
    url = os.environ.get("STEWARD_DATABASE_URL", "")
    # Always a fresh home: the SQLite database must start empty, and it is removed at the end.
    _TEMPORARY_HOME.append(tempfile.mkdtemp(prefix="stw-bench-cmdb-"))
    os.environ["STEWARD_HOME"] = _TEMPORARY_HOME[0]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.config.settings.base")
    if url.startswith("postgres"):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "postgresql"
    return "sqlite"


def _drop_database() -> None:
    from django.db import connections

    connections.close_all()
    import psycopg

    url = os.environ["STEWARD_DATABASE_URL"]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')


def load(bp: Blueprint) -> Any:
    """Insert the organisation and the blueprint in bulk; return a staff member to ask as."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from steward.catalogue.models import Service
    from steward.cmdb.models import (
        CiClass,
        ConfigurationItem,
        RedundancyGroup,
        Relation,
        impact_ends,
    )
    from steward.identity.models import Department, Person, Site, SiteGroup
    from steward.testing import factories

    rng = random.Random(len(bp.cis))
    unusable = make_password(None)
    with transaction.atomic():
        staff = factories.person(roles=("agent",), username="bench.agent")
        team = factories.team(code="OPS", name="运维")
        hq = Department.objects.create(code="HQ", name="总部")
        departments = [hq] + [
            Department.objects.create(code=f"D{n}", name=f"部门{n}", parent=hq) for n in range(9)
        ]
        Site.objects.bulk_create(
            [Site(code="DC", name="数据中心", kind="data_centre"), Site(code="HQ-SH", name="总部")]
            + [Site(code=f"S{n:05d}", name=f"门店{n}") for n in range(1, bp.stores + 1)],
            batch_size=5000,
        )
        site_ids = list(Site.objects.order_by("pk").values_list("pk", flat=True))
        dc, office, stores = site_ids[0], site_ids[1], site_ids[2:]
        Person.objects.bulk_create(
            [
                Person(username=f"store{n}-{k}", name=f"店员{n}", site_id=site, password=unusable)
                for n, site in enumerate(stores)
                for k in range(3)
            ]
            + [
                Person(
                    username=f"hq{n}",
                    name=f"职员{n}",
                    site_id=office,
                    password=unusable,
                    department=departments[n % len(departments)],
                )
                for n in range(3000)
            ],
            batch_size=5000,
        )
        group = SiteGroup.objects.create(code="STORES", name="全部门店")
        group.sites.add(*stores)
        services = Service.objects.bulk_create(
            [
                Service(
                    code=f"SVC{n:02d}",
                    name=f"服务{n}",
                    owner=staff,
                    support_team=team,
                    lifecycle="live",
                )
                for n in range(len(bp.service_cis))
            ]
        )
        for n, service in enumerate(services):
            if n < 2:
                service.customer_site_groups.add(group)
            elif n % 3:
                service.customer_departments.add(rng.choice(departments))
        classes = {
            code: CiClass.objects.create(code=code, name=code)
            for code in sorted({c[0] for c in bp.cis})
        }
        RedundancyGroup.objects.bulk_create(
            [RedundancyGroup(id=g, code=f"G{g}", name=f"G{g}") for g in range(1, bp.groups + 1)],
            batch_size=5000,
        )
        service_of = {ci: services[n].pk for n, ci in enumerate(bp.service_cis)}
        ConfigurationItem.objects.bulk_create(
            [
                ConfigurationItem(
                    id=n + 1,
                    ci_id=f"CI-{n + 1:06d}",
                    ci_class=classes[cls],
                    name=name,
                    site_id=(dc if site == 0 else stores[site - 1]) if site is not None else None,
                    redundancy_group_id=group_id,
                    service_id=service_of.get(n),
                )
                for n, (cls, name, site, group_id) in enumerate(bp.cis)
            ],
            batch_size=5000,
        )
        rows = []
        for source, target, kind in bp.relations:
            provider, dependant = impact_ends(kind, source + 1, target + 1)
            rows.append(
                Relation(
                    source_id=source + 1,
                    target_id=target + 1,
                    kind=kind,
                    provider_id=provider,
                    dependant_id=dependant,
                )
            )
        Relation.objects.bulk_create(rows, batch_size=5000)
    return staff


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def nx_graph(bp: Blueprint) -> tuple[Any, dict[int, list[int]]]:
    import networkx as nx

    from steward.cmdb.models import impact_ends

    graph = nx.DiGraph()
    for n, (_cls, _name, _site, group) in enumerate(bp.cis):
        graph.add_node(n + 1, status="in_use", group=group)
    for source, target, kind in bp.relations:
        provider, dependant = impact_ends(kind, source + 1, target + 1)
        if provider is not None:
            graph.add_edge(provider, dependant)
    groups: dict[int, list[int]] = {}
    for node, group in graph.nodes(data="group"):
        if group is not None:
            groups.setdefault(group, []).append(node)
    return graph, groups


def nx_downstream(graph: Any, groups: dict[int, list[int]], start: Iterable[int]) -> dict[int, int]:
    """The same walk as ``steward.cmdb.graph.downstream``, on a networkx DiGraph."""
    attrs = graph.nodes
    down = {s: 0 for s in start if attrs[s]["status"] != "retired"}
    frontier, level, down_groups = list(down), 0, set()
    while frontier:
        passing = []
        for node in frontier:
            group = attrs[node]["group"]
            if group is None or group in down_groups:
                passing.append(node)
            elif all(m in down or attrs[m]["status"] != "in_use" for m in groups[group]):
                down_groups.add(group)
                passing += [m for m in groups[group] if m in down]
        level += 1
        frontier = []
        for node in passing:
            for dependant in graph.successors(node):
                if attrs[dependant]["status"] != "retired" and dependant not in down:
                    down[dependant] = level
                    frontier.append(dependant)
    return down


def nx_upstream(reverse: Any, start: int, limit: int = 200) -> list[tuple[int, int]]:
    """The same ranked candidates as ``steward.cmdb.graph.upstream`` for one start CI."""
    import networkx as nx

    hops = nx.single_source_shortest_path_length(reverse, start)
    del hops[start]
    attrs = reverse.nodes
    ranked = heapq.nsmallest(
        limit, hops, key=lambda ci: (attrs[ci]["group"] is not None, hops[ci], ci)
    )
    return [(ci, hops[ci]) for ci in ranked]


def row(label: str, values: list[float]) -> str:
    return (
        f"{label:<46}{percentile(values, 50):>9.3f}{percentile(values, 95):>9.3f}"
        f"{max(values):>10.2f}"
    )


def console_pages(staff: Any, core: list[int], rng: random.Random) -> dict[str, list[float]]:
    """The console's CI list (filters, search, a deep page) and the impact page of the data
    centre core pair (the SVG graph at its 200-node cap), rendered as a browser asks."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)

    def get(path: str, params: dict[str, str] | None = None) -> Any:
        response = client.get(path, params or {})
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response

    filters = [
        {}, {"ci_class": "hardware"}, {"status": "in_use", "page": "120"},
        {"ci_class": "printer", "criticality": "3"}, {"q": "s12-pos"}, {"q": "CI-004242"},
        {"environment": "production", "page": "900"},
    ]
    picks = [rng.choice(filters) for _ in range(50)]
    listed = [timed(lambda f=f: get("/console/cmdb/", f))[0] for f in picks]
    query = "&".join(f"ci=CI-{n:06d}" for n in core)
    graphs = [timed(lambda: get(f"/console/cmdb/impact/?{query}"))[0] for _ in range(5)]
    return {
        "console: CI list, filtered and paged": listed,
        "console: impact page, core pair (200-node SVG)": graphs,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cis", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    vendor = _prepare_environment()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from steward.cmdb import graph as walk
    from steward.cmdb import index
    from steward.cmdb.impact import impact_for

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    bp = blueprint(args.cis, args.relations, args.seed)
    staff = load(bp)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup = time.perf_counter() - started
    index.reset()
    load_ms, _ = timed(index.graph_index)
    nxg, groups = nx_graph(bp)
    reverse = nxg.reverse(copy=True)

    rng = random.Random(args.seed + 1)
    starts = [rng.randint(1, len(bp.cis)) for _ in range(args.queries)]
    times: dict[str, list[float]] = {k: [] for k in ("nx_down", "down", "nx_up", "up", "full")}
    sizes, mismatches = [], 0
    for start in starts:
        t_nx, expected = timed(lambda s=start: nx_downstream(nxg, groups, [s]))
        t_ours, result = timed(lambda s=start: walk.downstream(index.graph_index(), [s]))
        times["nx_down"].append(t_nx)
        times["down"].append(t_ours)
        sizes.append(len(expected) - 1)
        mismatches += result.distance != expected
        t_nx, expected_up = timed(lambda s=start: nx_upstream(reverse, s))
        t_ours, found_up = timed(lambda s=start: walk.upstream(index.graph_index(), [s]))
        times["nx_up"].append(t_nx)
        times["up"].append(t_ours)
        mismatches += [(c.node.id, c.distance) for c in found_up] != expected_up
        t_full, analysis = timed(lambda s=start: impact_for(user=staff, ci_ids=[f"CI-{s:06d}"]))
        times["full"].append(t_full)
        mismatches += analysis.impacted_count != len(expected) - 1
    core = [n + 1 for n, c in enumerate(bp.cis) if c[1] in ("core-a", "core-b")]
    worst = {
        "nx": timed(lambda: nx_downstream(nxg, groups, core))[0],
        "walk": timed(lambda: walk.downstream(index.graph_index(), core))[0],
    }
    t_full, worst_result = timed(
        lambda: impact_for(user=staff, ci_ids=[f"CI-{n:06d}" for n in core])
    )

    print(
        f"CMDB impact analysis ({vendor}): {len(bp.cis):,} CIs, {len(bp.relations):,} "
        f"relations, {bp.groups:,} redundancy groups, {bp.stores:,} stores"
    )
    print(
        f"set-up {setup:.0f} s; graph index loaded in {load_ms:,.0f} ms "
        f"(process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)"
    )
    print(
        f"{args.queries:,} queries from random CIs; impacted CIs per query: "
        f"p50 {percentile(sizes, 50):.0f}, p95 {percentile(sizes, 95):.0f}, max {max(sizes):,}"
    )
    print()
    print(f"{'measure':<46}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>10}")
    print(row("networkx: downstream walk (in memory)", times["nx_down"]))
    print(row("steward: downstream walk (graph index)", times["down"]))
    print(row("networkx: upstream walk (in memory)", times["nx_up"]))
    print(row("steward: upstream walk (graph index)", times["up"]))
    print(row("steward: full impact analysis (as the API)", times["full"]))
    print()
    print(
        f"data centre core pair down: {worst_result.impacted_count:,} CIs impacted, "
        f"{len(worst_result.services)} services, {worst_result.people:,} people; networkx "
        f"{worst['nx']:.0f} ms, steward walk {worst['walk']:.0f} ms, full analysis {t_full:.0f} ms"
    )
    print(f"results compared with networkx: {mismatches} mismatches")
    pages = console_pages(staff, core, rng)
    for label, values in pages.items():
        print(row(label, values))
    goals = [
        (
            "downstream walk p95 within 2x of networkx",
            percentile(times["down"], 95) <= 2 * percentile(times["nx_down"], 95),
        ),
        (
            "upstream walk p95 within 2x of networkx",
            percentile(times["up"], 95) <= 2 * percentile(times["nx_up"], 95),
        ),
        ("full impact analysis p95 under 100 ms", percentile(times["full"], 95) < 100),
        ("same results as networkx", mismatches == 0),
        (
            "console CI list p95 under 300 ms",
            percentile(pages["console: CI list, filtered and paged"], 95) < 300,
        ),
    ]
    ok = True
    for label, met in goals:
        print(f"goal: {label:<52}{'met' if met else 'MISSED'}")
        ok = ok and met
    if vendor == "postgresql":
        _drop_database()
    for home in _TEMPORARY_HOME:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(home, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
