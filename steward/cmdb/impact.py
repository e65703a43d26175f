"""Impact analysis: what a failure of some CIs takes down, who is affected, and where to look.

``impact_for`` walks the in-memory graph index (``cmdb.index``, ``cmdb.graph``) and then
asks the database only about what it found: the catalogue services among the impacted CIs,
their customers (departments with their sub-departments, site groups), and the number of
active people affected, narrowed to the impacted sites when the failure is local (a store's
router takes down checkout at that store, not in all 300). Used by incidents (impact hint),
changes (affected services, who to notify) and monitoring. See docs/processes/cmdb.md.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from steward.catalogue.models import Service
from steward.cmdb import graph
from steward.cmdb.index import graph_index
from steward.cmdb.models import ConfigurationItem, RedundancyGroup
from steward.cmdb.selectors import cis_get_for
from steward.identity.models import Department, Person, Site, SiteGroup, SiteKind


@dataclass
class ImpactedService:
    """A catalogue service among the impacted CIs, and who uses it where."""

    ci: ConfigurationItem
    service: Service
    everywhere: bool
    """False when the impact is confined to ``sites`` (a local failure)."""
    departments: list[Department]
    site_groups: list[SiteGroup]
    sites: list[Site]
    everyone: bool
    """The service names no customers: it serves everyone (at ``sites`` if local)."""
    people: int


@dataclass
class Impact:
    start: list[ConfigurationItem]
    impacted: list[tuple[ConfigurationItem, int]]
    """The nearest impacted CIs (at most ``limit``) with their distance in hops."""
    impacted_count: int
    services: list[ImpactedService]
    departments: list[Department]
    sites: list[Site]
    people: int
    surviving_groups: list[tuple[RedundancyGroup, list[ConfigurationItem]]]
    upstream: list[tuple[ConfigurationItem, int, int]]
    """Root-cause candidates: (CI, distance, how many start CIs it explains)."""
    everyone: bool = False
    """A service that names no customers (it serves everyone) is impacted everywhere."""
    edges: list[tuple[int, int]] = field(default_factory=list)
    """The (provider, dependant) CI ids of the edges that carried impact between the start
    CIs and ``impacted`` (for drawing the graph)."""


def impact_for(
    *, user: Any, ci_ids: list[str], limit: int = 200, upstream_limit: int = 50
) -> Impact:
    """The impact of the failure of the CIs ``ci_ids`` (404 if one is unknown or invisible)."""
    start = cis_get_for(user=user, ci_ids=ci_ids)
    index = graph_index()
    with index.lock:
        down = graph.downstream(index, [ci.pk for ci in start])
        candidates = graph.upstream(index, [ci.pk for ci in start], limit=upstream_limit)
    site_ids = {n.site for n in down.nodes.values() if n.site is not None}
    hosting = set(
        Site.objects.filter(pk__in=site_ids, kind=SiteKind.DATA_CENTRE).values_list("pk", flat=True)
    )
    scopes = graph.location_scopes(down, hosting)
    services, people = _services(down, scopes)
    nearest = heapq.nsmallest(
        limit,
        (ci for ci, hops in down.distance.items() if hops),
        key=lambda ci: (down.distance[ci], ci),
    )
    survivors = [m for members in down.surviving_groups.values() for m in members]
    up_ids = survivors + [c.node.id for c in candidates]
    by_pk = {
        ci.pk: ci
        for ci in ConfigurationItem.objects.select_related(
            "ci_class", "site", "redundancy_group"
        ).filter(pk__in=[*nearest, *up_ids])
    }
    groups = RedundancyGroup.objects.in_bulk(list(down.surviving_groups))
    shown = {ci.pk for ci in start} | set(nearest)
    return Impact(
        start=start,
        impacted=[(by_pk[ci], down.distance[ci]) for ci in nearest],
        impacted_count=sum(1 for hops in down.distance.values() if hops),
        services=services,
        departments=_unique([d for s in services for d in s.departments]),
        sites=_unique([site for s in services for site in s.sites]),
        people=people,
        everyone=any(s.everyone and s.everywhere for s in services),
        surviving_groups=[
            (groups[g], [by_pk[m] for m in members if m in by_pk])
            for g, members in down.surviving_groups.items()
        ],
        upstream=[(by_pk[c.node.id], c.distance, c.explains) for c in candidates],
        edges=[(p, d) for p, d in down.edges if p in shown and d in shown],
    )


def _unique(items: list[Any]) -> list[Any]:
    return sorted({item.pk: item for item in items}.values(), key=lambda item: item.code)


def _descendants() -> dict[int, set[int]]:
    """Department id → itself and every department below it."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    result: dict[int, set[int]] = {}
    for pk_list in children.values():
        for pk in pk_list:
            found, pending = {pk}, [pk]
            while pending:
                for child in children.get(pending.pop(), []):
                    found.add(child)
                    pending.append(child)
            result[pk] = found
    return result


def _services(
    down: graph.Downstream, scopes: dict[int, graph.Scope]
) -> tuple[list[ImpactedService], int]:
    """The impacted services with their affected customers, and the people affected."""
    service_cis = {n.service: ci for ci, n in down.nodes.items() if n.service is not None}
    if not service_cis:
        return [], 0
    services = list(
        Service.objects.filter(pk__in=service_cis)
        .select_related("ci")
        .prefetch_related("customer_departments", "customer_site_groups")
        .order_by("criticality", "code")
    )
    group_ids = {g.pk for s in services for g in s.customer_site_groups.all()}
    group_sites: dict[int, set[int]] = {}
    for group_id, site_id in SiteGroup.sites.through.objects.filter(
        sitegroup_id__in=group_ids
    ).values_list("sitegroup_id", "site_id"):
        group_sites.setdefault(group_id, set()).add(site_id)
    tree = _descendants()
    result: list[ImpactedService] = []
    conditions: list[Q] = []
    site_ids: list[set[int]] = []
    for service in services:
        scope = scopes[service_cis[service.pk]]
        departments = list(service.customer_departments.all())
        groups = list(service.customer_site_groups.all())
        everyone = not departments and not groups
        customer_sites = set().union(*(group_sites.get(g.pk, set()) for g in groups))
        people_in = set().union(*(tree.get(d.pk, {d.pk}) for d in departments))
        if scope is graph.ALL:
            sites = customer_sites
            condition = (
                Q(pk__isnull=False) if everyone else Q(department__in=people_in) | Q(site__in=sites)
            )
        else:
            sites = set(scope) if everyone else customer_sites & scope
            condition = (
                Q(site__in=sites)
                if everyone
                else Q(department__in=people_in, site__in=scope) | Q(site__in=sites)
            )
        site_ids.append(sites)
        conditions.append(condition)
        result.append(
            ImpactedService(
                ci=service.ci,
                service=service,
                everywhere=scope is graph.ALL,
                departments=departments,
                site_groups=groups,
                sites=[],
                everyone=everyone,
                people=0,
            )
        )
    counts = _count_people(conditions)
    site_objects = Site.objects.in_bulk(list(set().union(*site_ids)))
    for item, people, sites in zip(result, counts[1:], site_ids, strict=True):
        item.people = people
        item.sites = sorted((site_objects[pk] for pk in sites), key=lambda site: site.code)
    return result, counts[0]


def _count_people(conditions: list[Q]) -> list[int]:
    """[people matching any condition, people matching each condition] in one query."""
    union = Q(pk__in=[])
    for condition in conditions:
        union |= condition
    aggregates = {"total": Count("pk", filter=union)}
    aggregates |= {f"c{n}": Count("pk", filter=c) for n, c in enumerate(conditions)}
    row = Person.objects.filter(is_active=True).aggregate(**aggregates)
    return [row["total"], *(row[f"c{n}"] for n in range(len(conditions)))]
