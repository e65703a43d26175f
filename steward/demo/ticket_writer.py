"""Write planned demo incidents in bulk: the rows the incident services would have written.

Each plan's steps are replayed up to "now" on an in-memory incident (status, timestamps,
counters, version), on its SLA clocks (``ticket_clocks``) and into audit drafts with the
same actions and before/after changes the services record. Numbers come from the INC
sequence, gap-free and in the order the incidents were opened. Running clocks are then
planned by the SLA engine itself (due time and milestones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from steward.audit.services import AuditDraft, audit_record_many, to_json
from steward.demo.ticket_clocks import RESPONDED, ClockRun, clocks_start, clocks_write
from steward.demo.ticket_plans import Plan
from steward.identity.models import Person, Team
from steward.incidents.models import Comment, Incident, IncidentStatus
from steward.incidents.services.common import TRACKED
from steward.incidents.services.numbering import numbers_reserve
from steward.sla.models import ClockState
from steward.sla.services.matching import metrics_for

S = IncidentStatus
STATUS_OF = {
    "assign": S.ASSIGNED,
    "start": S.IN_PROGRESS,
    "hold": S.ON_HOLD,
    "resume": S.IN_PROGRESS,
    "resolve": S.RESOLVED,
    "reopen": S.IN_PROGRESS,
    "close": S.CLOSED,
    "cancel": S.CANCELLED,
}
BATCH = 2000
ATTNAMES = {name: getattr(Incident._meta.get_field(name), "attname", name) for name in TRACKED}


@dataclass
class Replay:
    """One incident being written: the row, its comments, clocks and audit drafts."""

    incident: Incident
    comments: list[tuple[Comment, dict[str, Any]]] = field(default_factory=list)
    clocks: list[ClockRun] = field(default_factory=list)
    drafts: list[tuple[dt.datetime, int | None, str, dict[str, Any]]] = field(default_factory=list)


def _tracked(incident: Incident) -> dict[str, Any]:
    return {name: to_json(getattr(incident, ATTNAMES[name])) for name in TRACKED}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {k: [before[k], after[k]] for k in sorted(after) if before[k] != after[k]}


class Replayer:
    def __init__(self, *, now: dt.datetime, priority_of: Callable[[int, int], int]) -> None:
        self.now = now
        self.priority_of = priority_of
        self.teams = {t.code: t.pk for t in Team.objects.all()}
        self.metrics: dict[tuple[Any, ...], list[Any]] = {}
        self.labels = dict(Person.objects.values_list("pk", "name"))

    def _metrics(self, plan: Plan, service: Any, team_id: int) -> list[Any]:
        store = plan.site_id is not None and plan.department_id is not None
        key = (plan.service, plan.department_id, store, team_id)
        if key not in self.metrics:
            from steward.identity.models import Department, Site

            self.metrics[key] = metrics_for(
                service=service,
                department=Department.objects.filter(id=plan.department_id or 0).first(),
                site=Site.objects.filter(id=plan.site_id or 0).first(),
                team=Team.objects.get(pk=team_id),
                on=plan.opened_at.date(),
            )
        return self.metrics[key]

    def replay(self, plan: Plan, number: str, service: Any) -> Replay:
        priority = self.priority_of(plan.impact, plan.urgency) if not plan.is_major else 1
        team_id = self.teams[plan.team_code]
        incident = Incident(
            number=number, title=plan.title[:200], description=plan.description,
            requester_id=plan.requester_id, service=service, category=plan.category,
            subcategory=plan.subcategory, impact=plan.impact, urgency=plan.urgency,
            priority=priority, status=S.NEW, channel=plan.channel, team_id=team_id,
            department_id=plan.department_id, site_id=plan.site_id, opened_at=plan.opened_at,
            updated_at=plan.opened_at, version=1,
        )  # fmt: skip
        result = Replay(incident)
        create = plan.steps[0]
        snapshot = {
            "number": number, "title": incident.title, "description": incident.description,
            "requester": plan.requester_id, "service": service.pk, "category": plan.category,
            "subcategory": plan.subcategory, "impact": plan.impact, "urgency": plan.urgency,
            "priority": priority, "status": S.NEW, "channel": plan.channel, "team": team_id,
            "department": plan.department_id, "site": plan.site_id, "restricted": False,
            "opened_at": to_json(plan.opened_at),
        }  # fmt: skip
        result.drafts.append((create.at, create.actor_id, "create", snapshot))
        result.clocks = clocks_start(
            self._metrics(plan, service, team_id), priority=priority, state=S.NEW, at=create.at
        )
        for step in plan.steps[1:]:
            if step.at > self.now:
                break
            self._step(result, step)
        return result

    def _step(self, r: Replay, step: Any) -> None:
        inc, at, data = r.incident, step.at, step.data
        before = _tracked(inc)
        extra: dict[str, Any] = {}
        if step.action == "comment":
            self._comment(r, step)
            return
        if step.action == "update":
            inc.is_major = True
            inc.version += 1
            inc.updated_at = at
            r.drafts.append((at, step.actor_id, "update", {"is_major": [False, True]}))
            return
        inc.status = STATUS_OF[step.action]
        if step.action == "assign":
            if inc.assignee_id is not None and inc.assignee_id != data["assignee"]:
                inc.reassignment_count += 1
            inc.assignee_id = data["assignee"]
        elif step.action == "start" and inc.first_responded_at is None:
            inc.first_responded_at = at
        elif step.action == "hold":
            inc.hold_reason = data["reason"]
        elif step.action == "resume":
            inc.hold_reason = ""
            extra = {"automatic": True} if data.get("automatic") else {}
        elif step.action == "resolve":
            inc.hold_reason = ""
            inc.resolved_at, inc.resolution_code = at, data["code"]
            inc.resolution_note = data["note"]
            inc.first_responded_at = inc.first_responded_at or at
        elif step.action == "reopen":
            inc.resolved_at, inc.resolution_code, inc.resolution_note = None, "", ""
            inc.reopen_count += 1
            extra = {"reason": data["reason"]}
        elif step.action in ("close", "cancel"):
            inc.hold_reason = ""
            inc.closed_at = at
            extra = {"reason": data["reason"]} if step.action == "cancel" else {}
            if step.action == "close" and step.actor_id is None:
                extra = {"automatic": True}
        inc.version += 1
        inc.updated_at = at
        r.drafts.append((at, step.actor_id, step.action, {**_diff(before, _tracked(inc)), **extra}))
        for clock in r.clocks:
            if step.action == "reopen":
                clock.on_reopen(inc.status, at)
            else:
                clock.on_state(inc.status, at)

    def _comment(self, r: Replay, step: Any) -> None:
        inc, at = r.incident, step.at
        public = bool(step.data["public"])
        visibility = "public" if public else "internal"
        body = str(step.data["body"])
        r.comments.append(
            (
                Comment(author_id=step.actor_id, visibility=visibility, body=body, created_at=at),
                {"incident": inc.number, "visibility": visibility, "body": body},
            )
        )
        inc.updated_at = at
        by_requester = step.actor_id == inc.requester_id
        if public and not by_requester and inc.first_responded_at is None:
            before = _tracked(inc)
            inc.first_responded_at = at
            inc.version += 1
            r.drafts.append((at, step.actor_id, "respond", _diff(before, _tracked(inc))))
            paused = any(c.state == ClockState.PAUSED for c in r.clocks)
            if inc.status in (S.NEW, S.ASSIGNED) and not paused:
                for clock in r.clocks:
                    clock.on_state(RESPONDED, at)


def _numbers(total: int) -> list[str]:
    return numbers_reserve(total)


def incidents_write(
    plans: list[Plan], *, now: dt.datetime, priority_of: Callable[[int, int], int]
) -> list[Incident]:
    """Write ``plans`` (sorted by opening time) and return the incidents."""
    from steward.catalogue.models import Service

    services = {s.code: s for s in Service.objects.all()}
    replayer = Replayer(now=now, priority_of=priority_of)
    numbers = _numbers(len(plans))
    replays = [
        replayer.replay(p, n, services[p.service]) for p, n in zip(plans, numbers, strict=True)
    ]
    majors = {
        p.major_key: r.incident.number for p, r in zip(plans, replays, strict=True) if p.is_major
    }
    for p, r in zip(plans, replays, strict=True):
        for comment, changes in r.comments:
            if p.major_key is not None and "{major}" in comment.body:
                comment.body = comment.body.format(major=majors.get(p.major_key, ""))
                changes["body"] = comment.body
    incidents = Incident.objects.bulk_create([r.incident for r in replays], batch_size=BATCH)
    _write_comments(replays)
    _write_clocks(replays)
    _write_audit(replays)
    return incidents


def _write_comments(replays: list[Replay]) -> None:
    rows = []
    for r in replays:
        for comment, _changes in r.comments:
            comment.incident_id = r.incident.pk
            rows.append(comment)
    Comment.objects.bulk_create(rows, batch_size=BATCH)


def _write_clocks(replays: list[Replay]) -> None:
    clocks_write([(r.incident, r.clocks) for r in replays])


def _write_audit(replays: list[Replay]) -> None:
    incident_type = ContentType.objects.get_for_model(Incident)
    comment_type = ContentType.objects.get_for_model(Comment)
    labels = dict(Person.objects.values_list("pk", "name"))
    drafts = []
    for r in replays:
        inc = r.incident
        for at, actor_id, action, changes in r.drafts:
            drafts.append(
                AuditDraft(
                    at,
                    actor_id,
                    labels.get(actor_id or 0, ""),
                    incident_type,
                    str(inc.pk),
                    str(inc),
                    action,
                    changes,
                )  # fmt: skip
            )
        for comment, changes in r.comments:
            drafts.append(
                AuditDraft(
                    comment.created_at,
                    comment.author_id,
                    labels.get(comment.author_id, ""),
                    comment_type,
                    str(comment.pk),
                    str(comment),
                    "create",
                    changes,
                )  # fmt: skip
            )
    drafts.sort(key=lambda d: d.occurred_at)
    audit_record_many(drafts)
