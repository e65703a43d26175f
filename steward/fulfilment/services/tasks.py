"""Fulfilment tasks: created from the item version's task list, worked by their teams.

Ordered mode opens one task at a time (the next when the previous is done); parallel mode
opens all. When no task is left to do and at least one was done, the request is fulfilled
automatically. See docs/processes/fulfilment.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.catalogue.models import TaskMode
from steward.core.errors import Conflict, InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.fulfilment import permissions
from steward.fulfilment.events import (
    FulfilmentTaskAssigned,
    FulfilmentTaskFinished,
    FulfilmentTaskOpened,
    RequestFulfilled,
)
from steward.fulfilment.models import (
    ACTIVE_TASK_STATES,
    TASK_TRANSITIONS,
    FulfilmentTask,
    RequestStatus,
    ServiceRequest,
    TaskState,
)
from steward.fulfilment.services.common import (
    before_of,
    lock,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)
from steward.identity.models import Person, Team


def tasks_create(request: ServiceRequest, *, actor: Any, at: datetime) -> list[FulfilmentTask]:
    """Create the tasks of the item version's list and open the first (ordered) or all
    (parallel). Called inside the service that moved the request to fulfilment."""
    version = request.item_version
    teams = {t.code: t for t in Team.objects.filter(code__in=[d["team"] for d in version.tasks])}
    tasks = []
    for position, definition in enumerate(version.tasks, start=1):
        # The request's team stands in for a team deleted since the version was written.
        team = teams.get(definition["team"]) or request.team
        assert team is not None
        tasks.append(FulfilmentTask.objects.create(
            request=request, position=position, title=str(definition["title"])[:200],
            team=team, state=TaskState.WAITING,
        ))
    to_open = tasks if version.task_mode == TaskMode.PARALLEL else tasks[:1]
    for task in to_open:
        _open(task, actor=actor, at=at)
    return tasks


def _open(task: FulfilmentTask, *, actor: Any, at: datetime) -> None:
    task.state = TASK_TRANSITIONS.target("open", task.state)
    task.opened_at = at
    task.save(update_fields=["state", "opened_at"])
    request = task.request
    audit_record(actor=actor, obj=request, action="task_open",
                 changes={"task": task.position, "title": task.title, "team": task.team.code})
    emit_in_transaction(FulfilmentTaskOpened(
        request_id=request.pk, number=request.number, actor_id=getattr(actor, "pk", None),
        task_id=task.pk, team_id=task.team_id,
    ))


def tasks_withdraw(request: ServiceRequest, *, at: datetime) -> int:
    """Cancel the unfinished tasks of a request that ends (rejected or cancelled)."""
    return request.tasks.filter(state__in=(TaskState.WAITING, *ACTIVE_TASK_STATES)).update(
        state=TaskState.CANCELLED, finished_at=at
    )


def _locked(task: FulfilmentTask, version: int | None) -> FulfilmentTask:
    locked: FulfilmentTask = (
        FulfilmentTask.objects.select_for_update(no_key=True, of=("self",))
        .select_related("request", "team")
        .get(pk=task.pk)
    )
    if version is not None and locked.version != version:
        raise Conflict(
            _("The task was changed by someone else since you read it. Reload it and try "
              "again."), code="stale_version", field="version",
        )
    return locked


def _act(task: FulfilmentTask, *, actor: Any, action: str, version: int | None,
         note: str = "") -> FulfilmentTask:
    require(permissions.can_work_task(actor, task), _("You may not work on this task."))
    with transaction.atomic():
        request = lock(task.request)
        locked = _locked(task, version)
        before = locked.state
        locked.state = TASK_TRANSITIONS.target(action, locked.state)
        now = timezone.now()
        fields = ["state", "version"]
        if action == "start":
            locked.started_at = now
            if locked.assignee_id is None:
                locked.assignee = actor
                fields.append("assignee")
            fields.append("started_at")
        else:
            locked.finished_at = now
            fields.append("finished_at")
        if note:
            locked.notes = f"{locked.notes}\n{note}".strip()
            fields.append("notes")
        locked.version += 1
        locked.save(update_fields=fields)
        audit_record(actor=actor, obj=request, action=f"task_{action}", changes={
            "task": locked.position, "state": [before, locked.state], "note": note,
        })
        if action in ("complete", "cancel"):
            publish(FulfilmentTaskFinished(
                request_id=request.pk, number=request.number, actor_id=actor.pk,
                task_id=locked.pk, state=locked.state,
            ))
            _advance(request, actor=actor, at=now)
    return locked


def task_start(*, actor: Any, task: FulfilmentTask, version: int | None = None) -> FulfilmentTask:
    """Start an open task (taking it when nobody has). Errors: ``NotPermitted``,
    ``InvalidTransition``, ``Conflict``."""
    return _act(task, actor=actor, action="start", version=version)


def task_complete(
    *, actor: Any, task: FulfilmentTask, note: str = "", version: int | None = None
) -> FulfilmentTask:
    """Mark a task done; opens the next (ordered) or fulfils the request (none left).
    Emits ``FulfilmentTaskFinished`` (and ``FulfilmentTaskOpened`` / ``RequestFulfilled``)."""
    return _act(task, actor=actor, action="complete", version=version, note=str(note).strip())


def task_cancel(
    *, actor: Any, task: FulfilmentTask, reason: str, version: int | None = None
) -> FulfilmentTask:
    """Cancel a task that is not needed (a reason is required)."""
    reason = str(reason).strip()
    if not reason:
        raise ValidationFailed(_("Say why the task is not needed."), field="reason")
    return _act(task, actor=actor, action="cancel", version=version, note=reason)


def task_assign(
    *, actor: Any, task: FulfilmentTask, assignee: Person, version: int | None = None
) -> FulfilmentTask:
    """Give the task to a member of its team. Emits ``FulfilmentTaskAssigned``."""
    require(permissions.can_work_task(actor, task), _("You may not work on this task."))
    if not permissions.is_team_member(assignee, task.team_id) or not assignee.is_active:
        raise ValidationFailed(_("The assignee must be an active member of the task's team."),
                               field="assignee_id")
    with transaction.atomic():
        request = lock(task.request)
        locked = _locked(task, version)
        if locked.state not in ACTIVE_TASK_STATES:
            raise InvalidTransition(_("Only an open or started task can be assigned."))
        before = locked.assignee_id
        if before == assignee.pk:
            return locked
        locked.assignee = assignee
        locked.version += 1
        locked.save(update_fields=["assignee", "version"])
        audit_record(actor=actor, obj=request, action="task_assign",
                     changes={"task": locked.position, "assignee": [before, assignee.pk]})
        emit_in_transaction(FulfilmentTaskAssigned(
            request_id=request.pk, number=request.number, actor_id=actor.pk,
            task_id=locked.pk, assignee_id=assignee.pk,
        ))
    return locked


def task_set_notes(
    *, actor: Any, task: FulfilmentTask, notes: str, version: int
) -> FulfilmentTask:
    """Replace the task's working notes (optimistic concurrency on ``version``)."""
    require(permissions.can_work_task(actor, task), _("You may not work on this task."))
    with transaction.atomic():
        request = lock(task.request)
        locked = _locked(task, version)
        locked.notes = str(notes)
        locked.version += 1
        locked.save(update_fields=["notes", "version"])
        audit_record(actor=actor, obj=request, action="task_notes",
                     changes={"task": locked.position})
    return locked


def _advance(request: ServiceRequest, *, actor: Any, at: datetime) -> None:
    """After a task finished: open the next waiting one (ordered mode), or fulfil the
    request when nothing is left to do."""
    if request.status != RequestStatus.IN_FULFILMENT:
        return
    tasks = list(request.tasks.select_related("team").order_by("position"))
    if any(t.state in ACTIVE_TASK_STATES for t in tasks):
        return
    waiting = [t for t in tasks if t.state == TaskState.WAITING]
    if waiting:
        _open(waiting[0], actor=actor, at=at)
        return
    if any(t.state == TaskState.DONE for t in tasks):
        request_mark_fulfilled(request, actor=actor, at=at, note="")


def request_mark_fulfilled(
    request: ServiceRequest, *, actor: Any, at: datetime, note: str
) -> None:
    """Move a locked request to fulfilled (inside the caller's transaction)."""
    before = before_of(request)
    request.status = target_of(request, "fulfil")
    request.fulfilled_at = at
    if note:
        request.outcome_note = note
    save_audited(request, actor=actor, action="fulfil", before=before, at=at)
    sla_follow_status(request, at)
    emit_in_transaction(RequestFulfilled(
        request_id=request.pk, number=request.number, actor_id=getattr(actor, "pk", None),
        requester_id=request.requester_id, fulfilled_at=at,
    ))
