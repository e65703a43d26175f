"""Reads of service request management, always scoped to the user (the IDOR rule).

A request the user may not see is ``NotFound``, never "forbidden". Visibility is the
work-item rule widened to approvers and task teams (``steward.fulfilment.visibility``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.fulfilment.models import (
    ACTIVE_TASK_STATES,
    OPEN_STATUSES,
    Approval,
    ApprovalDelegation,
    ApprovalState,
    FulfilmentTask,
    RequestComment,
    ServiceRequest,
)
from steward.fulfilment.visibility import delegators_today
from steward.identity.models import Team

LIST_RELATED = ("requester", "team", "service", "item", "item_version", "department", "site")


class RequestQueue:
    """Named lists: what I raised, my teams' open requests, all I may see."""

    MINE = "mine"
    TEAM = "team"
    ALL = "all"
    CHOICES = (MINE, TEAM, ALL)


@dataclass(frozen=True)
class RequestFilters:
    queue: str = RequestQueue.ALL
    status: tuple[str, ...] = ()
    item_code: str = ""


def _visible(user: Any) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.visible_to(user)  # type: ignore[return-value]


def request_list_for(
    *, user: Any, filters: RequestFilters | None = None
) -> QuerySet[ServiceRequest]:
    """The requests ``user`` may see, narrowed by a queue and filters, newest first."""
    f = filters or RequestFilters()
    found = _visible(user).select_related(*LIST_RELATED)
    if f.queue == RequestQueue.MINE:
        found = found.filter(requester=user)
    elif f.queue == RequestQueue.TEAM:
        teams = list(user.teams.values_list("pk", flat=True))
        found = found.filter(team_id__in=teams, status__in=OPEN_STATUSES)
    if f.status:
        found = found.filter(status__in=f.status)
    if f.item_code:
        found = found.filter(item__code__iexact=f.item_code)
    return found.order_by("-id")


def request_get_for(*, user: Any, number: str) -> ServiceRequest:
    found = _visible(user).select_related(*LIST_RELATED, "raised_by").filter(
        number__iexact=number).first()
    if found is None:
        raise NotFound(_("No request %(number)s.") % {"number": number})
    return found


def approvals_of(request: ServiceRequest) -> QuerySet[Approval]:
    return request.approvals.select_related("approver", "decided_by").order_by("pk")


def tasks_of(request: ServiceRequest) -> QuerySet[FulfilmentTask]:
    return request.tasks.select_related("team", "assignee").order_by("position")


def approvals_pending_for(*, user: Any) -> QuerySet[Approval]:
    """The approvals waiting for ``user``: their own and those of people away who delegated
    to them today (oldest first)."""
    if not getattr(user, "is_authenticated", False):
        return Approval.objects.none()
    approvers = [user.pk, *delegators_today(user)]
    return (
        Approval.objects.filter(approver_id__in=approvers, state=ApprovalState.PENDING)
        .select_related("approver", "request__requester", "request__item_version")
        .order_by("created_at", "pk")
    )


def approvals_decided_by(*, user: Any, limit: int = 20) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(decided_by_id=getattr(user, "pk", None))
        .select_related("approver", "request")
        .order_by("-decided_at", "-pk")[:limit]
    )


def approval_get_for(*, user: Any, approval_id: int) -> Approval:
    """An approval of a request ``user`` may see; otherwise ``NotFound``."""
    visible = _visible(user).values("pk")
    found = (
        Approval.objects.select_related("approver", "request")
        .filter(pk=approval_id, request_id__in=visible).first()
    )
    if found is None:
        raise NotFound(_("No such approval."))
    return found


def task_queue_for(*, user: Any, team: Team | None = None) -> QuerySet[FulfilmentTask]:
    """Open and started tasks of the user's teams (or of one of them), oldest first."""
    teams = list(user.teams.values_list("pk", flat=True)) if user.is_authenticated else []
    if team is not None:
        teams = [t for t in teams if t == team.pk]
    return (
        FulfilmentTask.objects.filter(
            Q(team_id__in=teams) | Q(assignee_id=getattr(user, "pk", None)),
            state__in=ACTIVE_TASK_STATES,
        )
        .select_related("request", "request__requester", "team", "assignee")
        .order_by("opened_at", "pk")
    )


def task_get_for(*, user: Any, task_id: int) -> FulfilmentTask:
    visible = _visible(user).values("pk")
    found = (
        FulfilmentTask.objects.select_related("request", "team", "assignee")
        .filter(pk=task_id, request_id__in=visible).first()
    )
    if found is None:
        raise NotFound(_("No such task."))
    return found


def delegations_of(*, user: Any) -> QuerySet[ApprovalDelegation]:
    return ApprovalDelegation.objects.filter(
        Q(delegator_id=user.pk) | Q(delegate_id=user.pk), revoked=False
    ).select_related("delegator", "delegate").order_by("-starts_on")


def delegation_get_for(*, user: Any, delegation_id: int) -> ApprovalDelegation:
    found = delegations_of(user=user).filter(pk=delegation_id).first()
    if found is None:
        raise NotFound(_("No such delegation."))
    return found


def answers_shown(sr: ServiceRequest) -> list[dict[str, Any]]:
    """The answers with their labels, in the order of the version's form."""
    english = (get_language() or "").startswith("en")
    shown = []
    for spec in sr.item_version.form:
        if spec["key"] not in sr.answers:
            continue
        value = sr.answers[spec["key"]]
        label = spec.get("label_en") if english and spec.get("label_en") else spec["label"]
        choices = {c["value"]: (c.get("label_en") if english and c.get("label_en")
                                else c.get("label", c["value"])) for c in spec.get("choices", [])}
        if spec["type"] == "choice":
            value = choices.get(value, value)
        elif spec["type"] == "multi_choice":
            value = "、".join(choices.get(v, v) for v in value)
        shown.append({"key": spec["key"], "type": spec["type"], "label": label, "value": value})
    return shown


def comments_for(*, user: Any, request: ServiceRequest) -> QuerySet[RequestComment]:
    """The messages ``user`` may read: public ones, plus work notes for staff (never for the
    requester)."""
    from steward.fulfilment.permissions import sees_work_notes

    found = request.comments.select_related("author").order_by("created_at", "pk")
    return found if sees_work_notes(user, request) else found.filter(public=True)
