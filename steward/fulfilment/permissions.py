"""Who may do what to a service request, an approval or a fulfilment task. Pure predicates.

Visibility (may the user see the request at all?) is the selectors' job
(``steward.fulfilment.visibility``); these answer the next question.

- Anyone signed in (not read-only) raises requests for themself; agents raise them for others.
- A requester cancels their own request while it is not yet fulfilled, and closes it once
  fulfilled (confirming delivery).
- An approver, or the person they delegated to for today, decides their pending approval.
- Members of a task's team (agents, leads) and administrators work the task.
- Agents of the request's team (the service's support team) and administrators work the
  request: cancel it, fulfil one without tasks, close it.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from steward.fulfilment.models import Approval, FulfilmentTask, ServiceRequest
from steward.fulfilment.visibility import delegators_today
from steward.identity import permissions

# Shared with the other ticket apps (``identity.permissions``).
is_agent = permissions.is_agent
is_team_member = permissions.is_team_member


def can_raise(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and permissions.can_write(user)


def can_raise_for(user: Any, requester: Any) -> bool:
    """Raising on someone else's behalf (a call to the desk) is for agents."""
    return can_raise(user) and (requester.pk == user.pk or is_agent(user))


def is_requester(user: Any, request: ServiceRequest) -> bool:
    return permissions.can_write(user) and request.requester_id == getattr(user, "pk", None)


def can_work(user: Any, request: ServiceRequest) -> bool:
    if not is_agent(user):
        return False
    return permissions.is_admin(user) or is_team_member(user, request.team_id)


def can_cancel(user: Any, request: ServiceRequest) -> bool:
    return is_requester(user, request) or can_work(user, request)


def can_close(user: Any, request: ServiceRequest) -> bool:
    return is_requester(user, request) or can_work(user, request)


def can_decide(user: Any, approval: Approval) -> bool:
    """The approver, or whoever the approver delegated to for today."""
    if not permissions.can_write(user):
        return False
    return approval.approver_id == user.pk or approval.approver_id in delegators_today(user)


def can_work_task(user: Any, task: FulfilmentTask) -> bool:
    if not is_agent(user):
        return False
    return (
        permissions.is_admin(user)
        or task.assignee_id == user.pk
        or is_team_member(user, task.team_id)
    )


def can_assign_task_to(user: Any, task: FulfilmentTask, assignee: Any) -> bool:
    """Team members take a task or hand it to another member of the same team."""
    return can_work_task(user, task) and is_team_member(assignee, task.team_id)


def can_delegate(user: Any, delegator: Any) -> bool:
    """People set their own delegation; administrators set anyone's."""
    return permissions.can_write(user) and (
        user.pk == delegator.pk or permissions.is_admin(user)
    )


def can_comment(user: Any, request: ServiceRequest, *, public: bool) -> bool:
    """The requester writes public messages on their open or fulfilled request; the people
    working it (request team, task teams, assignees, administrators) write both kinds."""
    if not permissions.can_write(user):
        return False
    if request.requester_id == user.pk and public:
        return True
    if not is_agent(user):
        return False
    return can_work(user, request) or request.tasks.filter(
        models.Q(team__memberships__person_id=user.pk) | models.Q(assignee_id=user.pk)
    ).exists()


def sees_work_notes(user: Any, request: ServiceRequest) -> bool:
    return permissions.is_staff_member(user) and request.requester_id != user.pk


def actions_for(user: Any, request: ServiceRequest) -> list[str]:
    """The request actions the table allows now and ``user`` may take (buttons, API)."""
    checks = {"cancel": can_cancel, "close": can_close, "fulfil": can_work}
    return [
        action for action in request.allowed_actions()
        if action in checks and checks[action](user, request)
    ]


def task_actions_for(user: Any, task: FulfilmentTask) -> list[str]:
    if task.request.status != "in_fulfilment" or not can_work_task(user, task):
        return []
    return [a for a in task.allowed_actions() if a != "open"]
