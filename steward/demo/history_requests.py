"""Service request history of the demo: what stores and headquarters asked IT for over two
years (toner, laptops, VPN access, new starters' accounts, ERP rights, checkout terminals),
planned in memory from the demo catalogue's request items and written in bulk
(``request_writer``).

Each request is raised from the item's current version with answers its form accepts
(checked with ``clean_answers``), approved as the item's rule says (``approvers_for``: mostly
approved, some rejected with a reason), fulfilled through the version's task list by members
of the tasks' teams in business time, then closed by the requester or automatically; a few are
cancelled and the recent ones are still waiting or in fulfilment. Loading is idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from steward.catalogue.formdef import clean_answers
from steward.catalogue.models import ApprovalMode, RequestItem, TaskMode
from steward.core.errors import BusinessRuleViolation
from steward.demo.history_texts import (
    CANCELLATIONS,
    DESK_REPLIES,
    NAMES,
    PRINTERS,
    REASONS,
    REJECTIONS,
    REQUESTER_ASKS,
    TASK_NOTES,
    say,
)
from steward.demo.ticket_plans import (
    LOCAL,
    OFFICE_HOURS,
    STORE_HOURS,
    Step,
    count,
    daily_expected,
    local_instant,
    lognormal,
    pick,
)
from steward.fulfilment.models import ServiceRequest
from steward.fulfilment.services.approvals import approvers_for
from steward.identity.models import Person

if TYPE_CHECKING:
    from steward.demo.tickets import HistoryContext, Requester

PER_DAY = 4.4  # at scale 1: about 3,000 requests in two years
STORE_SHARE = 0.45
STORE_MIX = {"TONER": 40, "POS-TERMINAL": 10, "NEW-STARTER": 20, "ERP-ROLE": 12, "LAPTOP": 4}
HQ_MIX = {"LAPTOP": 22, "VPN-ACCESS": 22, "NEW-STARTER": 14, "ERP-ROLE": 20, "TONER": 22}
REJECTED = {"LAPTOP": 0.14, "POS-TERMINAL": 0.12, "ERP-ROLE": 0.06}
TASK_MINUTES = 0.35  # share of the item's promised time a task takes (median)


@dataclass
class RequestPlan:
    """One service request of the history before it is numbered and written."""

    opened_at: dt.datetime
    item: RequestItem
    requester: Requester
    raised_by: int
    channel: str
    title: str
    answers: dict[str, Any]
    language: str
    approvers: list[tuple[int, str]]
    steps: list[Step] = field(default_factory=list)


def _answer(rng: random.Random, spec: dict[str, Any], at: dt.datetime, lang: str) -> Any:
    key, kind = spec["key"], spec["type"]
    if kind == "choice":
        return rng.choice(spec["choices"])["value"]
    if kind == "multi_choice":
        values = [c["value"] for c in spec["choices"]]
        return sorted(rng.sample(values, rng.randint(1, len(values))), key=values.index)
    if kind == "number":
        low = int(spec.get("min", 1))
        high = max(low, int(spec.get("max", low + 3)))
        return str(min(high, low + int(rng.expovariate(1.2))))
    if kind == "date":
        return (at.astimezone(LOCAL).date() + dt.timedelta(days=rng.randint(3, 90))).isoformat()
    if kind == "long_text":
        return say(rng.choice(REASONS), lang)
    if kind == "text":
        if spec.get("pattern") == "E[0-9]{6}":
            return f"E{rng.randint(100000, 999999)}"
        return rng.choice(PRINTERS if key == "printer" else NAMES)
    return None  # person, CI, attachment: left out (the demo items do not require them)


class _Planner:
    def __init__(self, ctx: HistoryContext) -> None:
        self.ctx = ctx
        self.items = {
            i.code: i
            for i in RequestItem.objects.filter(is_active=True, current__isnull=False)
            .select_related("current", "service", "current__approval_team")
        }
        self.people: dict[int, Person] = Person.objects.select_related(
            "manager", "department__head", "department__parent__head"
        ).in_bulk()
        self.approvers: dict[tuple[int, int], list[tuple[int, str]] | None] = {}
        self.auto_close = dt.timedelta(days=settings.STEWARD_REQUEST_AUTO_CLOSE_DAYS)

    def _approvers(self, item: RequestItem, person_id: int) -> list[tuple[int, str]] | None:
        version = item.current
        assert version is not None
        key = (version.pk, person_id)
        if key not in self.approvers:
            probe = ServiceRequest(requester=self.people[person_id], service=item.service,
                                   item=item, item_version=version)  # fmt: skip
            try:
                found = [(p.pk, str(role)) for p, role in approvers_for(probe)]
            except BusinessRuleViolation:
                found = None
            self.approvers[key] = found
        return self.approvers[key]

    def plan(self, at: dt.datetime, who: Requester, code: str) -> RequestPlan | None:
        rng = self.ctx.rng
        item = self.items.get(code)
        if item is None or item.current is None:
            return None
        version = item.current
        lang = "en" if who.language == "en" else "zh-hans"
        answers = {}
        for spec in version.form:
            value = _answer(rng, spec, at, lang)
            if value is not None and (spec.get("required") or rng.random() < 0.7):
                answers[spec["key"]] = value
        approvers = self._approvers(item, who.person_id)
        if approvers is None:
            return None
        desk = self.ctx.agents["DESK"]
        by_desk = rng.random() < 0.15
        plan = RequestPlan(
            opened_at=at, item=item, requester=who,
            raised_by=rng.choice(desk) if by_desk else who.person_id,
            channel="console" if by_desk else "portal", title=version.display_name(lang)[:200],
            answers=clean_answers(version.form, answers), language=lang, approvers=approvers,
        )  # fmt: skip
        self._unfold(plan)
        return plan

    def _unfold(self, plan: RequestPlan) -> None:
        rng, add = self.ctx.rng, self.ctx.adders["office"]
        version, lang, requester = plan.item.current, plan.language, plan.requester.person_id
        assert version is not None
        steps, t = plan.steps, plan.opened_at
        steps.append(Step(t, "create", plan.raised_by))
        if rng.random() < 0.025:
            reason = say(rng.choice(CANCELLATIONS), lang)
            steps.append(Step(t + dt.timedelta(hours=lognormal(rng, 3, 1.0)), "cancel",
                              requester, {"reason": reason}))  # fmt: skip
            return
        if plan.approvers:
            deciders = list(range(len(plan.approvers)))
            if version.approval_mode == ApprovalMode.ANY:
                deciders = [rng.randrange(len(plan.approvers))]
            for index in deciders:
                t = add(t, lognormal(rng, 150, 1.0))
                if rng.random() < REJECTED.get(plan.item.code, 0.04):
                    comment = say(rng.choice(REJECTIONS), lang)
                    steps.append(Step(t, "reject", plan.approvers[index][0],
                                      {"approval": index, "comment": comment,
                                       "via_link": rng.random() < 0.5}))  # fmt: skip
                    return
                steps.append(Step(t, "approve", plan.approvers[index][0],
                                  {"approval": index, "via_link": rng.random() < 0.5}))  # fmt: skip
        self._tasks(plan, t, version)
        self._conversation(plan)

    def _tasks(self, plan: RequestPlan, t: dt.datetime, version: Any) -> None:
        rng, add, lang = self.ctx.rng, self.ctx.adders["office"], plan.language
        steps = plan.steps
        effort = version.promised_minutes * TASK_MINUTES if version.promised_minutes else 240
        parallel = version.task_mode == TaskMode.PARALLEL
        done_at = t
        opened = t
        for position, task in enumerate(version.tasks, start=1):
            team = self.ctx.agents.get(task["team"]) or self.ctx.agents["DESK"]
            assignee = rng.choice(team)
            start = add(opened, lognormal(rng, 45, 0.9))
            if rng.random() < 0.015:
                reason = say(rng.choice(CANCELLATIONS), lang)
                steps.append(Step(start, "cancel", plan.requester.person_id, {"reason": reason}))
                return
            steps.append(Step(start, "task_start", assignee, {"task": position}))
            finish = add(start, lognormal(rng, effort / max(1, len(version.tasks)), 0.8))
            note = say(rng.choice(TASK_NOTES), lang) if rng.random() < 0.4 else ""
            steps.append(Step(finish, "task_complete", assignee, {"task": position, "note": note}))
            done_at = max(done_at, finish)
            if not parallel:
                opened = finish
        # The last task's completion fulfils the request (the writer does it, as the service).
        if rng.random() < 0.4:
            closed = done_at + dt.timedelta(hours=lognormal(rng, 20, 0.9))
            if closed < done_at + self.auto_close:
                steps.append(Step(closed, "close", plan.requester.person_id))
                return
        at = done_at + self.auto_close + dt.timedelta(minutes=rng.randint(1, 59))
        steps.append(Step(at, "close", None))

    def _conversation(self, plan: RequestPlan) -> None:
        rng, lang = self.ctx.rng, plan.language
        ends = [s.at for s in plan.steps if s.action in ("close", "cancel", "reject")]
        if not ends or rng.random() >= 0.18:
            return
        at = plan.opened_at + (ends[0] - plan.opened_at) * rng.uniform(0.3, 0.7)
        plan.steps.append(Step(at, "comment", plan.requester.person_id,
                               {"public": True, "body": say(rng.choice(REQUESTER_ASKS), lang)}))
        desk = self.ctx.agents["DESK"]
        reply = at + dt.timedelta(minutes=lognormal(rng, 25, 0.8))
        if reply < ends[0]:
            plan.steps.append(Step(reply, "comment", rng.choice(desk),
                                   {"public": True, "body": say(rng.choice(DESK_REPLIES), lang)}))


def plans_requests(ctx: HistoryContext) -> list[RequestPlan]:
    """The requests of the history, day by day, in the order they were raised."""
    from steward.sla.compile import compiled
    from steward.sla.models import BusinessCalendar

    planner = _Planner(ctx)
    rng = ctx.rng
    office = compiled(BusinessCalendar.objects.get(code="CN-OFFICE"))
    plans: list[RequestPlan | None] = []
    day, last = ctx.start.astimezone(LOCAL).date(), ctx.now.astimezone(LOCAL).date()
    while day <= last:
        expected = daily_expected(day, start=ctx.start.date(), per_day=PER_DAY * ctx.scale)
        for _ in range(count(rng, expected * STORE_SHARE)):
            who = rng.choices(ctx.stores, weights=ctx.store_weights)[0]
            at = local_instant(rng, day, STORE_HOURS)
            plans.append(planner.plan(at, who, pick(rng, STORE_MIX)))
        if office.hours_on(day):
            for _ in range(count(rng, expected * (1 - STORE_SHARE))):
                at = local_instant(rng, day, OFFICE_HOURS)
                plans.append(planner.plan(at, rng.choice(ctx.office), pick(rng, HQ_MIX)))
        day += dt.timedelta(days=1)
    found = [p for p in plans if p is not None and p.opened_at <= ctx.now]
    for plan in found:
        plan.steps.sort(key=lambda step: step.at)
    found.sort(key=lambda plan: plan.opened_at)
    return found


def load_requests(ctx: HistoryContext) -> int:
    """The service request history, written in bulk; fulfilled requests are handed to the
    ratings loader (``ctx.resolved``)."""
    from steward.demo.request_writer import requests_write

    if ServiceRequest.objects.exists():
        return 0
    written = requests_write(ctx, plans_requests(ctx))
    return len(written)
