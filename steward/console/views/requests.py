"""The agents' side of service requests: the request queue, raising a request on someone's
behalf, the request page (answers, approvals, tasks, SLA, timeline, actions) and the team
task queue. Thin: forms parse, the fulfilment selectors read (scoped to the agent), the
fulfilment services write; a ``DomainError`` comes back as a message (422, 403 when not
permitted).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from steward.catalogue import selectors as catalogue
from steward.console.access import render_page, staff_required
from steward.console.views.records import _record_context
from steward.core.errors import DomainError, NotPermitted
from steward.fulfilment import permissions, selectors, services
from steward.fulfilment.forms import CommentForm, RequestForm
from steward.fulfilment.models import TERMINAL_STATUSES, RequestStatus, ServiceRequest
from steward.fulfilment.selectors import RequestFilters, RequestQueue
from steward.identity.models import Person, Team

PAGE_SIZE = 50
REQUEST_ACTIONS = ("cancel", "fulfil", "close", "comment")
TASK_ACTIONS = ("start", "complete", "cancel", "assign", "notes")


@staff_required
def request_queue(request: HttpRequest) -> HttpResponse:
    queue = request.GET.get("queue", RequestQueue.TEAM)
    if queue not in RequestQueue.CHOICES:
        queue = RequestQueue.TEAM
    status = request.GET.get("status", "")
    filters = RequestFilters(
        queue=queue, status=(status,) if status in RequestStatus.values else ())
    rows = list(selectors.request_list_for(user=request.user, filters=filters)[:PAGE_SIZE])
    return render_page(request, "console/requests/queue.html", {
        "rows": rows, "queue": queue, "status": status,
        "statuses": RequestStatus.choices,
        "queues": [(RequestQueue.TEAM, "team"), (RequestQueue.MINE, "mine"),
                   (RequestQueue.ALL, "all")],
    }, section="requests")


@staff_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Raise a request on someone's behalf (a call to the desk): pick the item, the person."""
    code = request.GET.get("item", "").strip()
    if not code:
        return render_page(request, "console/requests/new.html", {"item": None},
                           section="requests")
    item = catalogue.request_item_get_for(user=request.user, code=code)
    if item.current is None:
        raise Http404
    form = RequestForm(request.POST or None, request.FILES or None, version=item.current)
    requester_name = request.POST.get("requester", "").strip()
    status = 200
    error = ""
    if request.method == "POST":
        status = 422
        requester = Person.objects.filter(username__iexact=requester_name).first()
        if requester is None:
            error = "requester"
        elif form.is_valid():
            try:
                created = services.request_submit(
                    actor=request.user, requester=requester, item=item,
                    answers=form.answers(), uploads=form.uploads(),
                    description=form.cleaned_data["note"], channel="console",
                )
            except DomainError as exc:
                target = exc.field if exc.field in form.fields else None
                form.add_error(target, exc.message)
                status = 403 if isinstance(exc, NotPermitted) else 422
            else:
                messages.success(request, created.number)
                return redirect("console:request", number=created.number)
    return render_page(request, "console/requests/new.html", {
        "item": item, "form": form, "requester_name": requester_name,
        "requester_error": error,
    }, section="requests", status=status)


def _page(request: HttpRequest, sr: ServiceRequest, *, status: int = 200,
          error: str = "") -> HttpResponse:
    context: dict[str, Any] = _record_context(request, sr)
    user = request.user
    context.update({
        "detail_templates": ["console/requests/_detail.html"],
        "sr": sr,
        "answers": selectors.answers_shown(sr),
        "approvals": selectors.approvals_of(sr),
        "tasks": [{"task": t, "actions": permissions.task_actions_for(user, t),
                   "members": t.team.members.filter(is_active=True).order_by("username")}
                  for t in selectors.tasks_of(sr)],
        "actions": permissions.actions_for(user, sr),
        "comments": selectors.comments_for(user=user, request=sr),
        "comment_form": CommentForm(),
        "can_comment": permissions.can_comment(user, sr, public=False)
        and sr.status not in TERMINAL_STATUSES,
        "error": error,
    })
    return render_page(request, "console/requests/request.html", context,
                       section="requests", status=status)


@staff_required
def request_page(request: HttpRequest, number: str) -> HttpResponse:
    return _page(request, selectors.request_get_for(user=request.user, number=number))


def _refused(request: HttpRequest, sr: ServiceRequest, exc: DomainError) -> HttpResponse:
    fresh = selectors.request_get_for(user=request.user, number=sr.number)
    return _page(request, fresh, status=403 if isinstance(exc, NotPermitted) else 422,
                 error=exc.message)


@staff_required
@require_POST
def request_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in REQUEST_ACTIONS:
        raise Http404
    sr = selectors.request_get_for(user=request.user, number=number)
    text = request.POST.get("text", "")
    try:
        if action == "comment":
            form = CommentForm(request.POST)
            body = request.POST.get("body", "")
            public = form.is_valid() and bool(form.cleaned_data["public"])
            services.request_comment(actor=request.user, request=sr, body=body, public=public)
        elif action == "cancel":
            services.request_cancel(actor=request.user, request=sr, reason=text)
        elif action == "fulfil":
            services.request_fulfil(actor=request.user, request=sr, note=text)
        else:
            services.request_close(actor=request.user, request=sr)
    except DomainError as exc:
        return _refused(request, sr, exc)
    return redirect("console:request", number=sr.number)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@staff_required
@require_POST
def task_act(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    if action not in TASK_ACTIONS:
        raise Http404
    task = selectors.task_get_for(user=request.user, task_id=task_id)
    user, text, version = request.user, request.POST.get("text", ""), _version(request)
    try:
        if action == "start":
            services.task_start(actor=user, task=task, version=version)
        elif action == "complete":
            services.task_complete(actor=user, task=task, note=text, version=version)
        elif action == "cancel":
            services.task_cancel(actor=user, task=task, reason=text, version=version)
        elif action == "assign":
            assignee = Person.objects.filter(pk=_int(request.POST.get("assignee"))).first()
            if assignee is None:
                raise Http404
            services.task_assign(actor=user, task=task, assignee=assignee, version=version)
        else:
            services.task_set_notes(actor=user, task=task, notes=text, version=version or 0)
    except DomainError as exc:
        return _refused(request, task.request, exc)
    if request.POST.get("next") == "tasks":
        return redirect("console:request_tasks")
    return redirect("console:request", number=task.request.number)


def _int(value: Any) -> int:
    return int(value) if str(value or "").isdigit() else 0


@staff_required
def task_queue(request: HttpRequest) -> HttpResponse:
    """Open and started fulfilment tasks of the agent's teams (or one team), oldest first."""
    teams = list(Team.objects.filter(members=request.user.pk).order_by("code"))
    chosen = next((t for t in teams if t.code == request.GET.get("team")), None)
    rows = [{"task": t, "actions": permissions.task_actions_for(request.user, t)}
            for t in selectors.task_queue_for(user=request.user, team=chosen)[:200]]
    return render_page(request, "console/requests/tasks.html", {
        "rows": rows, "teams": teams, "team": chosen,
    }, section="requests")
