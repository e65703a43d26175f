"""Two years of service desk history for the retail-chain demo, ending now.

``load_history`` runs one loader per record kind (``HISTORY``); each receives the shared
``HistoryContext`` (seeded random source, the period, the people, the calendars) and returns
how many records it wrote. Incidents come first, then service requests
(``history_requests``), then the satisfaction surveys, ratings and complaints of what they
resolved (``history_ratings``: incidents from ``context.incident_plans``, requests from
``context.resolved``).

Incidents are planned in memory (``ticket_plans``/``ticket_life``) and written in bulk
(``ticket_writer``) with the rows the services would have written: the incident, its
comments, its SLA clocks and their events, and its audit entries; no notifications (they
would all be due at once). Loading is idempotent: nothing is added if incidents exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from steward.catalogue.models import Service
from steward.demo.history_ratings import load_ratings
from steward.demo.history_requests import load_requests
from steward.demo.ticket_life import Crew, unfold
from steward.demo.ticket_plans import (
    HQ_MIX,
    LOCAL,
    OFFICE_HOURS,
    STORE_HOURS,
    STORE_MIX,
    Plan,
    Step,
    count,
    daily_expected,
    fill,
    local_instant,
    pick,
    subject_for,
)
from steward.demo.ticket_texts import MAJORS
from steward.identity.models import Person, Role, RoleGrant, SiteKind, Team
from steward.incidents.models import Incident
from steward.sla.compile import compiled
from steward.sla.models import BusinessCalendar

SEED = 20261127
PER_DAY = 27.0  # at scale 1: about 20,000 incidents in two years
STORE_SHARE = 0.64
STORE_SERVICES = ("POS", "STORE-NET", "MEMBER")


@dataclass
class Requester:
    person_id: int
    department_id: int | None
    site_id: int | None
    region: str
    language: str


@dataclass
class HistoryContext:
    """What every history loader shares."""

    rng: random.Random
    start: dt.datetime
    now: dt.datetime
    scale: float
    services: dict[str, Service]
    stores: list[Requester]
    store_weights: list[float]
    office: list[Requester]
    warehouse: list[Requester]
    agents: dict[str, list[int]]
    desk_lead: int
    adders: dict[str, Callable[[dt.datetime, float], dt.datetime]]
    incidents: list[Any] = field(default_factory=list)
    incident_plans: list[Plan] = field(default_factory=list)  # aligned with ``incidents``
    resolved: list[Any] = field(default_factory=list)  # ResolvedRecord of other record types


def _requesters(people: Any) -> list[Requester]:
    return [
        Requester(p.pk, p.department_id, p.site_id, p.site.region if p.site else "", p.language)
        for p in people.select_related("site").order_by("username")
    ]


def _agents() -> dict[str, list[int]]:
    agents = set(RoleGrant.objects.filter(role=Role.AGENT).values_list("person_id", flat=True))
    result: dict[str, list[int]] = {}
    for team in Team.objects.prefetch_related("memberships").order_by("code"):
        members = sorted(m.person_id for m in team.memberships.all())
        result[team.code] = [pk for pk in members if pk in agents] or members
    return result


def _adders() -> dict[str, Callable[[dt.datetime, float], dt.datetime]]:
    def adder(code: str) -> Callable[[dt.datetime, float], dt.datetime]:
        calendar = compiled(BusinessCalendar.objects.get(code=code))
        return lambda at, minutes: calendar.add(at, dt.timedelta(minutes=max(minutes, 0.5)))

    return {"store": adder("STORE-HOURS"), "office": adder("CN-OFFICE"), "always": adder("24X7")}


def context_build(*, days: int, scale: float, seed: int, now: dt.datetime) -> HistoryContext:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    people = Person.objects.filter(is_active=True)
    stores = _requesters(people.filter(site__kind=SiteKind.STORE))
    office = _requesters(
        people.filter(site__code="HQ-SH").exclude(department__code="IT").exclude(username="auditor")
    )
    return HistoryContext(
        rng=rng,
        start=now - dt.timedelta(days=days),
        now=now,
        scale=scale,
        services={s.code: s for s in Service.objects.select_related("support_team")},
        stores=stores,
        store_weights=[0.4 + rng.paretovariate(2.2) for _ in stores],
        office=office,
        warehouse=[r for r in office if _department_code(r) == "LOG"] or office,
        agents=_agents(),
        desk_lead=Person.objects.get(username="desk.lead").pk,
        adders=_adders(),
    )


def _department_code(requester: Requester) -> str:
    from steward.identity.models import Department

    found = Department.objects.filter(id=requester.department_id or 0)
    return str(found.values_list("code", flat=True).first())


def _calendar_key(service: str) -> str:
    if service in STORE_SERVICES:
        return "store"
    return "always" if service == "DC" else "office"


def _new_plan(ctx: HistoryContext, at: dt.datetime, who: Requester, service: str) -> Plan:
    rng = ctx.rng
    category, subcategory, impact, urgency, zh, en, desc, desc_en, res, res_en = subject_for(
        rng, service
    )
    impact = min(impact, 3)  # the subject lists give 4-5 for "hardly anyone affected"
    english = who.language == "en" or (who.site_id is not None and rng.random() < 0.04)
    language = "en" if english else "zh-hans"
    if rng.random() < 0.15:
        urgency = max(1, min(3, urgency + rng.choice((-1, 1))))
    if service == "DC":
        channel = "monitoring"
    else:
        channel = rng.choices(
            ("portal", "phone", "chat", "email"),
            weights=(45, 35, 15, 5) if who.region else (50, 10, 15, 25),
        )[0]
    return Plan(
        opened_at=at,
        service=service,
        requester_id=who.person_id,
        department_id=who.department_id,
        site_id=who.site_id,
        team_code=ctx.services[service].support_team.code,
        impact=impact,
        urgency=urgency,
        channel=channel,
        title=fill(en if english else zh, rng),
        description=fill(desc_en if english else desc, rng),
        category=category,
        subcategory=subcategory,
        language=language,
        resolution=(res, res_en),
    )


def _crew(ctx: HistoryContext, team: str) -> Crew:
    desk = ctx.agents["DESK"]
    return Crew(desk_agent=ctx.rng.choice(desk[1:] or desk), engineers=ctx.agents[team])


def plans_daily(ctx: HistoryContext, priority_of: Callable[[int, int], int]) -> list[Plan]:
    """The ordinary incidents, day by day."""
    plans = []
    rng = ctx.rng
    day, last = ctx.start.astimezone(LOCAL).date(), ctx.now.astimezone(LOCAL).date()
    office_calendar = compiled(BusinessCalendar.objects.get(code="CN-OFFICE"))
    while day <= last:
        expected = daily_expected(day, start=ctx.start.date(), per_day=PER_DAY * ctx.scale)
        working = bool(office_calendar.hours_on(day))
        for _ in range(count(rng, expected * STORE_SHARE)):
            who = rng.choices(ctx.stores, weights=ctx.store_weights)[0]
            at = local_instant(rng, day, STORE_HOURS)
            plans.append(_new_plan(ctx, at, who, pick(rng, STORE_MIX)))
        office_expected = expected * (1 - STORE_SHARE) * (1.0 if working else 0.06)
        for _ in range(count(rng, office_expected)):
            service = pick(rng, HQ_MIX)
            pool = ctx.warehouse if service == "WMS" else ctx.office
            at = local_instant(rng, day, OFFICE_HOURS)
            plans.append(_new_plan(ctx, at, rng.choice(pool), service))
        day += dt.timedelta(days=1)
    for plan in plans:
        priority = priority_of(plan.impact, plan.urgency)
        unfold(
            plan,
            rng,
            crew=_crew(ctx, plan.team_code),
            priority=priority,
            add=ctx.adders[_calendar_key(plan.service)],
        )
    return plans


def plans_major(ctx: HistoryContext) -> list[Plan]:
    """A few major incidents, each with the store (or office) incidents it caused."""
    rng = ctx.rng
    plans: list[Plan] = []
    span = ctx.now - ctx.start - dt.timedelta(days=2)
    positions = (0.12, 0.3, 0.47, 0.61, 0.78, 0.93)
    for key, (service, zh, en, note, note_en, region, hours) in enumerate(MAJORS):
        day = (ctx.start + span * positions[key]).astimezone(LOCAL).date()
        declared = local_instant(rng, day, STORE_HOURS[:8])
        resolved = declared + dt.timedelta(hours=hours, minutes=rng.randint(0, 50))
        if service in STORE_SERVICES:
            pool = [r for r in ctx.stores if not region or r.region == region]
        else:
            pool = ctx.office
        affected = max(3, round(rng.randint(25, 60) * min(1.0, ctx.scale * 2)))
        reporters = rng.sample(pool, min(affected, len(pool)))
        major = _new_plan(ctx, declared, reporters[0], service)
        english = major.language == "en"
        major.title = en if english else zh
        major.description = note_en if english else note
        major.channel, major.impact, major.urgency = "phone", 1, 1
        major.resolution, major.is_major, major.major_key = (note, note_en), True, key
        unfold(major, rng, crew=_crew(ctx, major.team_code), priority=1,
               add=ctx.adders["always"], resolve_at=resolved)  # fmt: skip
        major.steps.append(Step(declared + dt.timedelta(minutes=4), "update", ctx.desk_lead,
                                {"is_major": True}))  # fmt: skip
        plans.append(major)
        for who in reporters[1:]:
            at = declared + dt.timedelta(minutes=rng.randint(-15, 90), seconds=rng.randint(0, 59))
            child = _new_plan(ctx, at, who, service)
            child.impact, child.urgency, child.major_key = 2, 1, key
            child.resolution = (note, note_en)
            crew = _crew(ctx, child.team_code)
            unfold(child, rng, crew=crew, priority=2, add=ctx.adders["always"], resolve_at=resolved)
            link = ("已关联重大故障 {major}。", "Linked to major incident {major}.")
            body = link[1] if child.language == "en" else link[0]
            child.steps.append(Step(at + dt.timedelta(minutes=2), "comment", crew.desk_agent,
                                    {"public": False, "body": body}))  # fmt: skip
            plans.append(child)
    return plans


def load_incidents(ctx: HistoryContext) -> int:
    """The incident history (ordinary and major incidents), written in bulk."""
    from steward.demo.ticket_writer import incidents_write
    from steward.incidents.priority import priority_for
    from steward.incidents.selectors import priority_matrix

    if Incident.objects.exists():
        return 0
    matrix = priority_matrix()

    def priority_of(impact: int, urgency: int) -> int:
        return priority_for(impact, urgency, matrix)

    plans = plans_daily(ctx, priority_of) + plans_major(ctx)
    for plan in plans:
        plan.steps.sort(key=lambda step: step.at)
    plans.sort(key=lambda plan: plan.opened_at)
    plans = [plan for plan in plans if plan.opened_at <= ctx.now]
    ctx.incidents = incidents_write(plans, now=ctx.now, priority_of=priority_of)
    ctx.incident_plans = plans
    return len(ctx.incidents)


# One loader per record kind, in order: the ratings come last (they rate what the others
# resolved or fulfilled).
HISTORY: list[Callable[[HistoryContext], int]] = [load_incidents, load_requests, load_ratings]


def load_history(
    *, days: int = 730, scale: float = 1.0, seed: int = SEED, now: dt.datetime | None = None
) -> dict[str, int]:
    """Load the service desk history of the last ``days`` days (``scale`` 1: about 20,000
    incidents in two years); return the records written per loader."""
    if scale <= 0 or days <= 0:
        return {}
    ctx = context_build(days=days, scale=scale, seed=seed, now=now or timezone.now())
    return {loader.__name__: loader(ctx) for loader in HISTORY}
