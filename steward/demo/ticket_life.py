"""How one demo incident unfolds: triage, first response, work, holds, resolution, the
requester's confirmation or the automatic close, sometimes a reopen or a cancellation.

``unfold`` appends the ``Step``s to a ``Plan``; what lies after "now" is cut off by the
writer, so recent incidents are still open in the state they would be in today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from steward.demo.ticket_plans import (
    EFFORT,
    RESOLUTION_CODES,
    BusinessAdd,
    Plan,
    Step,
    lognormal,
)
from steward.demo.ticket_texts import (
    CANCEL_REASONS,
    FIRST_REPLY,
    HOLD_ASK,
    REOPEN_REASONS,
    REQUESTER_ANSWER,
    WORK_NOTES,
)

AUTO_CLOSE = dt.timedelta(days=7)  # the seeded incident policy
MINUTE = dt.timedelta(minutes=1)


@dataclass
class Crew:
    """Who works an incident: the service desk agent taking calls, the team's engineers."""

    desk_agent: int
    engineers: list[int]


def say(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def unfold(
    plan: Plan,
    rng: random.Random,
    *,
    crew: Crew,
    priority: int,
    add: BusinessAdd,
    resolve_at: dt.datetime | None = None,
) -> None:
    """Append the life of the incident to ``plan.steps``. ``add(t, minutes)`` adds business
    minutes in the service's calendar. ``resolve_at`` forces the resolution time (incidents
    resolved with their major incident)."""
    lang = plan.language
    t = plan.opened_at
    by_desk = plan.channel in ("phone", "email", "chat")
    creator = crew.desk_agent if by_desk else plan.requester_id
    steps = plan.steps
    steps.append(Step(t, "create", creator))
    if rng.random() < 0.03 and resolve_at is None:
        t = t + dt.timedelta(minutes=rng.randint(3, 40))
        steps.append(
            Step(t, "cancel", plan.requester_id, {"reason": say(rng.choice(CANCEL_REASONS), lang)})
        )
        return
    engineer = rng.choice(crew.engineers)
    scale = {1: 0.2, 2: 0.4, 3: 1.0, 4: 2.0, 5: 3.0}[priority]
    t = add(t, lognormal(rng, 6 * scale, 0.7))
    steps.append(Step(t, "assign", crew.desk_agent, {"assignee": engineer}))
    if rng.random() < 0.08:
        previous, engineer = engineer, rng.choice(crew.engineers)
        if engineer != previous:
            t = add(t, lognormal(rng, 20 * scale, 0.6))
            steps.append(Step(t, "assign", crew.desk_agent, {"assignee": engineer}))
    if rng.random() < 0.35:
        t = add(t, lognormal(rng, 8 * scale, 0.8))
        steps.append(
            Step(
                t, "comment", engineer, {"public": True, "body": say(rng.choice(FIRST_REPLY), lang)}
            )
        )
    t = add(t, lognormal(rng, 12 * scale, 0.9))
    steps.append(Step(t, "start", engineer))
    effort = lognormal(rng, EFFORT[priority], 0.85)
    _work(plan, rng, engineer=engineer, start=t, effort=effort, add=add)
    t = add(plan.steps[-1].at, effort * rng.uniform(0.4, 0.7))
    if resolve_at is not None:
        t = max(plan.steps[-1].at + MINUTE, resolve_at + dt.timedelta(minutes=rng.randint(2, 40)))
    _resolve(plan, rng, engineer=engineer, at=t)
    t = _reopen_maybe(plan, rng, engineer=engineer, at=t, add=add)
    if rng.random() < 0.45:
        closed = t + dt.timedelta(hours=lognormal(rng, 5, 1.0))
        if closed < t + AUTO_CLOSE:
            steps.append(Step(closed, "close", plan.requester_id))
            return
    steps.append(Step(t + AUTO_CLOSE + dt.timedelta(minutes=rng.randint(1, 59)), "close", None))


def _work(
    plan: Plan,
    rng: random.Random,
    *,
    engineer: int,
    start: dt.datetime,
    effort: float,
    add: BusinessAdd,
) -> None:
    """Work notes and, sometimes, a hold while waiting for the requester or a vendor."""
    lang = plan.language
    t = start
    if rng.random() < 0.55:
        t = add(t, effort * rng.uniform(0.1, 0.3))
        plan.steps.append(
            Step(
                t, "comment", engineer, {"public": False, "body": say(rng.choice(WORK_NOTES), lang)}
            )
        )
    if rng.random() < 0.15:
        t = add(t, effort * rng.uniform(0.1, 0.3))
        if rng.random() < 0.6:
            ask = say(rng.choice(HOLD_ASK), lang)
            plan.steps.append(Step(t, "comment", engineer, {"public": True, "body": ask}))
            plan.steps.append(Step(t + MINUTE, "hold", engineer, {"reason": "awaiting_requester"}))
            t = t + dt.timedelta(hours=lognormal(rng, 2.5, 0.9))
            answer = say(rng.choice(REQUESTER_ANSWER), lang)
            plan.steps.append(
                Step(t, "comment", plan.requester_id, {"public": True, "body": answer})
            )
            plan.steps.append(Step(t, "resume", plan.requester_id, {"automatic": True}))
        else:
            plan.steps.append(Step(t, "hold", engineer, {"reason": "awaiting_vendor"}))
            t = t + dt.timedelta(hours=lognormal(rng, 20, 0.7))
            plan.steps.append(Step(t, "resume", engineer))
    if rng.random() < 0.15:
        t = add(t, effort * rng.uniform(0.1, 0.2))
        plan.steps.append(
            Step(
                t, "comment", engineer, {"public": False, "body": say(rng.choice(WORK_NOTES), lang)}
            )
        )


def _resolve(plan: Plan, rng: random.Random, *, engineer: int, at: dt.datetime) -> None:
    codes = [code for code, _weight in RESOLUTION_CODES]
    code = rng.choices(codes, weights=[weight for _code, weight in RESOLUTION_CODES])[0]
    note = say(plan.resolution, plan.language)
    plan.steps.append(Step(at, "resolve", engineer, {"code": code, "note": note}))


def _reopen_maybe(
    plan: Plan, rng: random.Random, *, engineer: int, at: dt.datetime, add: BusinessAdd
) -> dt.datetime:
    if rng.random() >= 0.04:
        return at
    t = at + dt.timedelta(hours=lognormal(rng, 6, 0.8))
    reason = say(rng.choice(REOPEN_REASONS), plan.language)
    plan.steps.append(Step(t, "reopen", plan.requester_id, {"reason": reason}))
    t = add(t, lognormal(rng, 120, 0.8))
    _resolve(plan, rng, engineer=engineer, at=t)
    return t
