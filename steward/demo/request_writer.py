"""Write planned demo service requests in bulk: the rows the fulfilment services would have
written (request, approvals and their reminders, tasks, comments, SLA clocks, audit entries).

Each plan's steps are replayed up to "now" on in-memory rows with the services' rules:
``approvers_for`` decided who approves, a rejection withdraws the other approvals, approval
opens the version's tasks (ordered: one at a time; parallel: all), the last task done
fulfils the request, cancelling withdraws approvals and cancels unfinished tasks; nothing
happens to a request once it has ended. Numbers come from the REQ sequence, gap-free in the
order the requests were raised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from steward.audit.services import AuditDraft, audit_record_many, diff, snapshot
from steward.catalogue.models import ApprovalMode, RequestItem, TaskMode
from steward.core.outbox import OutboxStatus
from steward.demo.history_ratings import ResolvedRecord
from steward.demo.ticket_clocks import ClockRun, clocks_start, clocks_write
from steward.fulfilment.models import (
    ACTIVE_TASK_STATES,
    OPEN_STATUSES,
    Approval,
    ApprovalReminder,
    ApprovalState,
    FulfilmentTask,
    RequestComment,
    RequestStatus,
    ServiceRequest,
    TaskState,
)
from steward.fulfilment.services.common import TRACKED
from steward.fulfilment.services.numbering import REQUEST_NUMBERS
from steward.fulfilment.services.records import CREATE_FIELDS
from steward.identity.models import Department, Person, Site, Team
from steward.sla.models import AgreementMetric
from steward.sla.services.matching import metrics_for

if TYPE_CHECKING:
    from steward.demo.history_requests import RequestPlan
    from steward.demo.tickets import HistoryContext

S = RequestStatus
BATCH = 2000
Draft = tuple[dt.datetime, int | None, str, dict[str, Any]]


@dataclass
class RequestReplay:
    request: ServiceRequest
    plan: RequestPlan
    approvals: list[Approval] = field(default_factory=list)
    tasks: list[FulfilmentTask] = field(default_factory=list)
    comments: list[RequestComment] = field(default_factory=list)
    clocks: list[ClockRun] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)


class _Replayer:
    def __init__(self, ctx: HistoryContext) -> None:
        self.ctx = ctx
        self.teams = {t.code: t for t in Team.objects.all()}
        self.metrics: dict[tuple[Any, ...], list[Any]] = {}
        # The states some metric starts in: a request in another state starts no clock, so
        # the (per department and site) agreement matching is skipped.
        self.starting = {s for m in AgreementMetric.objects.all() for s in m.start_states}

    def _metrics(self, request: ServiceRequest) -> list[Any]:
        if request.status not in self.starting:
            return []
        key = (request.service_id, request.department_id, request.site_id, request.team_id)
        if key not in self.metrics:
            self.metrics[key] = metrics_for(
                service=request.service,
                department=Department.objects.filter(id=request.department_id or 0).first(),
                site=Site.objects.filter(id=request.site_id or 0).first(),
                team=request.team, on=request.opened_at.date(),
            )  # fmt: skip
        return self.metrics[key]

    def _save(self, r: RequestReplay, before: dict[str, Any], at: dt.datetime, actor: int | None,
              action: str, extra: dict[str, Any] | None = None) -> None:
        """``save_audited`` then ``sla_follow_status``."""
        request = r.request
        request.version += 1
        request.updated_at = at
        r.drafts.append((at, actor, action,
                         {**diff(before, snapshot(request, TRACKED)), **(extra or {})}))
        for clock in r.clocks:
            clock.on_state(request.status, at)
        running = {clock.metric.pk for clock in r.clocks if clock.is_open}
        fresh = [m for m in self._metrics(request) if m.pk not in running]
        r.clocks += clocks_start(fresh, priority=request.priority, state=request.status, at=at)

    def replay(self, plan: RequestPlan, number: str) -> RequestReplay:
        item = plan.item
        version = item.current
        assert version is not None
        who = plan.requester
        request = ServiceRequest(
            number=number, title=plan.title, description="", requester_id=who.person_id,
            raised_by_id=plan.raised_by, service=item.service, item=item, item_version=version,
            answers=plan.answers, status=S.SUBMITTED, channel=plan.channel,
            team=item.service.support_team, department_id=who.department_id,
            site_id=who.site_id, opened_at=plan.opened_at, updated_at=plan.opened_at,
            version=1,
        )  # fmt: skip
        r = RequestReplay(request, plan)
        at, actor = plan.opened_at, plan.raised_by
        r.drafts.append((at, actor, "create", {**snapshot(request, CREATE_FIELDS),
                                               "answers": plan.answers,
                                               "item_version": version.number}))  # fmt: skip
        r.clocks = clocks_start(self._metrics(request), priority=request.priority,
                                state=request.status, at=at)  # fmt: skip
        if plan.approvers:
            before = snapshot(request, TRACKED)
            request.status = S.AWAITING_APPROVAL
            self._save(r, before, at, actor, "request_approval",
                       {"approvers": [pk for pk, _role in plan.approvers]})
            for pk, role in plan.approvers:
                r.approvals.append(Approval(approver_id=pk, role=role, created_at=at,
                                            link_nonce=f"{self.ctx.rng.getrandbits(64):016x}"))
        else:
            before = snapshot(request, TRACKED)
            request.status = S.IN_FULFILMENT
            self._save(r, before, at, actor, "start_fulfilment")
            self._tasks_create(r, at, actor)
        for step in plan.steps[1:]:
            if step.at > self.ctx.now:
                break
            if request.status in OPEN_STATUSES or (
                request.status == S.FULFILLED and step.action in ("close", "comment")
            ):
                self._step(r, step)
        return r

    def _step(self, r: RequestReplay, step: Any) -> None:
        request, at, data, actor = r.request, step.at, step.data, step.actor_id
        if step.action in ("approve", "reject"):
            self._decide(r, step)
        elif step.action in ("task_start", "task_complete"):
            task = r.tasks[data["task"] - 1] if r.tasks else None
            if task is None or task.state not in ACTIVE_TASK_STATES:
                return
            before = task.state
            if step.action == "task_start":
                if task.state != TaskState.OPEN:
                    return
                task.state, task.started_at, task.assignee_id = TaskState.IN_PROGRESS, at, actor
            else:
                task.state, task.finished_at = TaskState.DONE, at
                task.notes = data["note"]
            task.version += 1
            r.drafts.append((at, actor, step.action, {
                "task": task.position, "state": [before, task.state],
                "note": data.get("note", ""),
            }))  # fmt: skip
            if step.action == "task_complete":
                self._advance(r, at, actor)
        elif step.action == "cancel":
            before = snapshot(request, TRACKED)
            request.status, request.closed_at = S.CANCELLED, at
            request.outcome_note = data["reason"]
            self._save(r, before, at, actor, "cancel")
            self._withdraw(r, at)
            for task in r.tasks:
                if task.state in (TaskState.WAITING, *ACTIVE_TASK_STATES):
                    task.state, task.finished_at = TaskState.CANCELLED, at
        elif step.action == "close":
            before = snapshot(request, TRACKED)
            request.status, request.closed_at = S.CLOSED, at
            automatic = {"automatic": True} if actor is None else None
            self._save(r, before, at, actor, "close", automatic)
        elif step.action == "comment":
            comment = RequestComment(author_id=actor, public=data["public"], body=data["body"],
                                     created_at=at)  # fmt: skip
            r.comments.append(comment)
            r.drafts.append((at, actor, "comment" if data["public"] else "work_note",
                             {"comment": comment}))  # fmt: skip

    def _decide(self, r: RequestReplay, step: Any) -> None:
        request, at, data, actor = r.request, step.at, step.data, step.actor_id
        approval = r.approvals[data["approval"]]
        if approval.state != ApprovalState.PENDING or request.status != S.AWAITING_APPROVAL:
            return
        decision = ApprovalState.REJECTED if step.action == "reject" else ApprovalState.APPROVED
        comment = str(data.get("comment", ""))
        approval.state, approval.decided_by_id, approval.decided_at = decision, actor, at
        approval.comment, approval.via_link, approval.link_nonce = comment, data["via_link"], ""
        r.drafts.append((at, actor, f"approval_{decision}", {
            "approver": approval.approver_id, "on_behalf_of": None, "comment": comment,
            "via_link": approval.via_link,
        }))  # fmt: skip
        version = request.item_version
        pending = [a for a in r.approvals if a.state == ApprovalState.PENDING]
        if decision == ApprovalState.APPROVED and version.approval_mode == ApprovalMode.ALL and (
            pending
        ):
            return
        self._withdraw(r, at)
        before = snapshot(request, TRACKED)
        if decision == ApprovalState.REJECTED:
            request.status, request.closed_at, request.outcome_note = S.REJECTED, at, comment
            self._save(r, before, at, actor, "reject")
            return
        request.status, request.approved_at = S.IN_FULFILMENT, at
        self._save(r, before, at, actor, "approve")
        self._tasks_create(r, at, actor)

    def _withdraw(self, r: RequestReplay, at: dt.datetime) -> None:
        for approval in r.approvals:
            if approval.state == ApprovalState.PENDING:
                approval.state, approval.decided_at = ApprovalState.WITHDRAWN, at
                approval.link_nonce = ""

    def _tasks_create(self, r: RequestReplay, at: dt.datetime, actor: int | None) -> None:
        version = r.request.item_version
        for position, definition in enumerate(version.tasks, start=1):
            team = self.teams.get(definition["team"]) or r.request.team
            assert team is not None
            r.tasks.append(FulfilmentTask(position=position, title=str(definition["title"])[:200],
                                          team=team, state=TaskState.WAITING))  # fmt: skip
        to_open = r.tasks if version.task_mode == TaskMode.PARALLEL else r.tasks[:1]
        for task in to_open:
            self._open(r, task, at, actor)

    def _open(self, r: RequestReplay, task: FulfilmentTask, at: dt.datetime,
              actor: int | None) -> None:
        task.state, task.opened_at = TaskState.OPEN, at
        r.drafts.append((at, actor, "task_open",
                         {"task": task.position, "title": task.title, "team": task.team.code}))

    def _advance(self, r: RequestReplay, at: dt.datetime, actor: int | None) -> None:
        if any(t.state in ACTIVE_TASK_STATES for t in r.tasks):
            return
        waiting = [t for t in r.tasks if t.state == TaskState.WAITING]
        if waiting:
            self._open(r, waiting[0], at, actor)
            return
        before = snapshot(r.request, TRACKED)
        r.request.status, r.request.fulfilled_at = S.FULFILLED, at
        self._save(r, before, at, actor, "fulfil")


def _numbers(total: int) -> list[str]:
    return REQUEST_NUMBERS.reserve(total)


def _reminder(approval: Approval, now: dt.datetime) -> ApprovalReminder:
    """The approval's reminder row as the reminder job would have left it by ``now``."""
    due = approval.created_at + dt.timedelta(hours=settings.STEWARD_APPROVAL_REMINDER_HOURS)
    if due > now:
        return ApprovalReminder(approval=approval, next_attempt_at=due)
    fired = approval.decided_at is None or approval.decided_at > due
    return ApprovalReminder(approval=approval, next_attempt_at=due, status=OutboxStatus.DONE,
                            attempts=1, processed_at=due, fired_at=due if fired else None)


def requests_write(ctx: HistoryContext, plans: list[RequestPlan]) -> list[ServiceRequest]:
    """Write ``plans`` (sorted by raising time); hand the fulfilled ones to the ratings."""
    replayer = _Replayer(ctx)
    replays = [replayer.replay(p, n) for p, n in zip(plans, _numbers(len(plans)), strict=True)]
    requests = ServiceRequest.objects.bulk_create([r.request for r in replays], batch_size=BATCH)
    approvals: list[Approval] = []
    tasks: list[FulfilmentTask] = []
    comments: list[RequestComment] = []
    for r in replays:
        for approval in r.approvals:
            approval.request = r.request
        for task in r.tasks:
            task.request = r.request
        for comment in r.comments:
            comment.request = r.request
        approvals += r.approvals
        tasks += r.tasks
        comments += r.comments
    Approval.objects.bulk_create(approvals, batch_size=BATCH)
    ApprovalReminder.objects.bulk_create([_reminder(a, ctx.now) for a in approvals],
                                         batch_size=BATCH)  # fmt: skip
    FulfilmentTask.objects.bulk_create(tasks, batch_size=BATCH)
    RequestComment.objects.bulk_create(comments, batch_size=BATCH)
    clocks_write([(r.request, r.clocks) for r in replays if r.clocks])
    _audit(replays)
    used: dict[int, int] = {}
    for r in replays:
        used[r.request.item_id] = used.get(r.request.item_id, 0) + 1
    for item_id, n in used.items():
        RequestItem.objects.filter(pk=item_id).update(request_count=F("request_count") + n)
    for r in replays:
        if r.request.fulfilled_at is not None:
            ctx.resolved.append(ResolvedRecord(r.request, r.request.service_id, r.plan.language,
                                               [(r.request.fulfilled_at, None)]))  # fmt: skip
    return requests


def _audit(replays: list[RequestReplay]) -> None:
    request_type = ContentType.objects.get_for_model(ServiceRequest)
    labels = dict(Person.objects.values_list("pk", "name"))
    drafts = []
    for r in replays:
        request = r.request
        for at, actor, action, changes in r.drafts:
            if isinstance(changes.get("comment"), RequestComment):
                changes = {"comment": changes["comment"].pk}
            drafts.append(AuditDraft(at, actor, labels.get(actor or 0, ""), request_type,
                                     str(request.pk), str(request), action, changes))  # fmt: skip
    drafts.sort(key=lambda d: d.occurred_at)
    audit_record_many(drafts)
