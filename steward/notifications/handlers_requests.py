"""Messages that follow service request events. Subscribed in NotificationsConfig.ready().

The fulfilment services emit these events inside their transaction, so each notification and
its delivery rows commit (or roll back) with the change that caused them. The approval
messages carry signed approve/reject links (``steward.fulfilment.services.links``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from steward.fulfilment.events import (
    ApprovalReminded,
    ApprovalRequested,
    FulfilmentTaskAssigned,
    FulfilmentTaskOpened,
    RequestCommented,
    RequestFulfilled,
    RequestRejected,
    RequestSubmitted,
)
from steward.fulfilment.models import (
    Approval,
    FulfilmentTask,
    RequestComment,
    ServiceRequest,
)
from steward.fulfilment.selectors import answers_shown
from steward.fulfilment.services.links import approval_link_token
from steward.identity.models import Person
from steward.notifications.services import notification_send


def _request(request_id: int) -> ServiceRequest:
    found: ServiceRequest = ServiceRequest.objects.select_related(
        "requester", "item_version").get(pk=request_id)
    return found


def _context(request: ServiceRequest, *, link: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "number": request.number,
        "title": request.title,
        "link": link or f"{settings.STEWARD_BASE_URL}/portal/tickets/{request.number}/",
        **extra,
    }


def on_request_submitted(event: RequestSubmitted) -> None:
    """Acknowledge the request with the promised time (or the item's promised delivery)."""
    request = _request(event.request_id)
    notification_send(
        event="request.submitted", recipients=[request.requester], record=request,
        context=_context(
            request, due_at=event.due_at,
            promised_hours=round(event.promised_minutes / 60, 1),
            needs_approval=request.item_version.approval_kind != "none",
        ),
    )


def _approval_message(event_name: str, approval_id: int) -> None:
    """To the approver, with signed approve/reject links; to whoever decides for the approver
    today (a delegation), without links: a link acts as the approver, so the delegate decides
    in the approvals inbox, where the decision is recorded on the approver's behalf."""
    approval = Approval.objects.select_related("approver", "request__requester").get(
        pk=approval_id)
    request = approval.request
    base = f"{settings.STEWARD_BASE_URL}/portal/approvals/link/"
    inbox = f"{settings.STEWARD_BASE_URL}/portal/approvals/"
    notification_send(
        event=event_name, recipients=[approval.approver], record=request,
        context=_context(
            request, link=inbox,
            requester_name=request.requester.display_name(approval.approver.language),
            answers_text=_answers_text(request, approval.approver.language),
            approve_link=f"{base}{approval_link_token(approval, 'approved')}/",
            reject_link=f"{base}{approval_link_token(approval, 'rejected')}/",
        ),
    )
    today = timezone.localdate()
    delegates = Person.objects.filter(
        approval_delegated_to_me__delegator=approval.approver,
        approval_delegated_to_me__revoked=False,
        approval_delegated_to_me__starts_on__lte=today,
        approval_delegated_to_me__ends_on__gte=today,
    ).distinct()
    for delegate in delegates:
        notification_send(
            event=event_name, recipients=[delegate], record=request,
            context=_context(
                request, link=inbox,
                requester_name=request.requester.display_name(delegate.language),
                on_behalf_of=approval.approver.display_name(delegate.language),
                answers_text=_answers_text(request, delegate.language),
                approve_link="", reject_link="",
            ),
        )


def _answers_text(request: ServiceRequest, language: str) -> str:
    """What was asked for, one "label: value" line per answer, in the reader's language."""
    with translation.override(language):
        shown = answers_shown(request)
    lines = []
    for answer in shown:
        value = answer["value"]
        if answer["type"] == "attachment":
            value = value.get("filename", "")
        lines.append(f"{answer['label']}: {value}")
    return "\n".join(lines)


def on_approval_requested(event: ApprovalRequested) -> None:
    _approval_message("request.approval_needed", event.approval_id)


def on_approval_reminded(event: ApprovalReminded) -> None:
    _approval_message("request.approval_reminder", event.approval_id)


def on_request_rejected(event: RequestRejected) -> None:
    request = _request(event.request_id)
    notification_send(
        event="request.rejected", recipients=[request.requester], record=request,
        context=_context(request, comment=event.comment),
    )


def _task_message(task_id: int, recipients: list[Person]) -> None:
    task = FulfilmentTask.objects.select_related("request__item_version", "team").get(
        pk=task_id)
    request = task.request
    notification_send(
        event="request.task_assigned", recipients=recipients, record=request,
        context=_context(
            request, link=f"{settings.STEWARD_BASE_URL}/console/requests/{request.number}/",
            task_title=task.title, team_name=task.team.name,
            instructions=request.item_version.instructions,
        ),
    )


def on_task_opened(event: FulfilmentTaskOpened) -> None:
    """Tell the task's team (its assignee alone once someone has it)."""
    task = FulfilmentTask.objects.select_related("team", "assignee").get(pk=event.task_id)
    people = [task.assignee] if task.assignee else list(task.team.members.filter(is_active=True))
    _task_message(task.pk, people)


def on_task_assigned(event: FulfilmentTaskAssigned) -> None:
    _task_message(event.task_id, [Person.objects.get(pk=event.assignee_id)])


def on_request_commented(event: RequestCommented) -> None:
    """Send the staff's public message to the requester (never the requester's own, never a
    work note)."""
    if event.by_requester or not event.public:
        return
    request = _request(event.request_id)
    comment = RequestComment.objects.select_related("author").get(pk=event.comment_id)
    notification_send(
        event="request.replied", recipients=[request.requester], record=request,
        actor=comment.author,
        context=_context(
            request, author_name=comment.author.display_name(request.requester.language),
            body=comment.body,
        ),
    )


def on_request_fulfilled(event: RequestFulfilled) -> None:
    request = _request(event.request_id)
    notification_send(
        event="request.fulfilled", recipients=[request.requester], record=request,
        context=_context(request, outcome_note=request.outcome_note),
    )
