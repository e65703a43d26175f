"""The agent's side of the service desk: incident queues and the incident page with its
actions. Thin: forms parse, the incident selectors read (scoped to the agent), the incident
services write; a ``DomainError`` comes back as a form error (422, 403 when not permitted).

The actions offered are ``permissions.actions_for``: the transition table and the permission
predicates, the same two sources the services check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required, wants_partial
from steward.console.views import incident_classify as classify
from steward.console.views.incident_routing import routing_context
from steward.console.views.record_time import time_context
from steward.core.errors import DomainError, NotPermitted
from steward.identity import permissions as identity
from steward.identity.selectors import team_list_for
from steward.incidents import permissions, selectors, services
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.forms import (
    AssignForm,
    CommentForm,
    HoldForm,
    IncidentEditForm,
    PriorityForm,
    QueueFilterForm,
    ReasonForm,
    ResolveForm,
)
from steward.incidents.forms_major import NumberForm
from steward.incidents.models import Incident, IncidentStatus
from steward.satisfaction import selectors as satisfaction
from steward.workitems import selectors as workitems
from steward.workitems.forms import AttachmentForm

PAGE_SIZE = 25
QUEUES = (
    IncidentQueue.MINE,
    IncidentQueue.MY_TEAMS,
    IncidentQueue.UNASSIGNED,
    IncidentQueue.BREACHING_SOON,
    IncidentQueue.ON_HOLD,
    IncidentQueue.RECENTLY_UPDATED,
    IncidentQueue.ALL,
)
EDIT_FIELDS = ("title", "description", "category", "subcategory")


def _add_error(form: forms.Form, error: DomainError) -> None:
    """The error on its field when the form shows that field; otherwise above the form (a
    stale ``version`` is about the whole form)."""
    field = form.fields.get(error.field or "")
    shown = field is not None and not field.widget.is_hidden
    form.add_error(error.field if shown else None, error.message)

@staff_required
def incident_queue(request: HttpRequest) -> HttpResponse:
    """A queue with filters, newest first, paged by keyset (``after`` = the last id shown)."""
    queue = request.GET.get("queue", IncidentQueue.MINE)
    if queue not in QUEUES:
        queue = IncidentQueue.MINE
    form = QueueFilterForm(request.GET or None, statuses=list(IncidentStatus.choices))
    data = form.cleaned_data if form.is_valid() else {}
    filters = IncidentFilters(
        queue=queue, status=tuple(data.get("status") or ()),
        priority=tuple(data.get("priority") or ()), query=data.get("q") or "",
        ci=data.get("ci") or "",
    )
    found = selectors.incident_list_for(user=request.user, filters=filters)
    from steward.console.views.incident_bulk import queue_views_context, sorted_page

    after = data.get("after")
    sort, offset, rows, next_offset = sorted_page(request, found, PAGE_SIZE)
    has_more = False
    if not sort:
        if after:
            found = found.filter(id__lt=after)
        rows = list(found[: PAGE_SIZE + 1])
        has_more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
    context = {
        **queue_views_context(request),
        "form": form, "queue": queue, "rows": rows,
        "queues": [(q, IncidentQueue(q).label) for q in QUEUES],
        "next_after": rows[-1].pk if has_more else None,
        "next_offset": next_offset,
    }
    more = after or offset
    partial = "console/incidents/_rows.html" if more else "console/incidents/_results.html"
    return render_page(request, "console/incidents/queue.html", context, partial=partial,
                       section="incidents")


@dataclass
class Panel:
    """One action form on the incident page (a collapsed ``<details>``)."""

    name: str
    summary: str | Promise
    submit: str | Promise
    form: forms.Form
    url: str

    @property
    def dom_id(self) -> str:
        return f"{self.name}-form"


SUMMARIES: dict[str, tuple[str | Promise, str | Promise]] = {
    "assign": (gettext_lazy("Assign"), gettext_lazy("Assign")),
    "start": (gettext_lazy("Start work"), gettext_lazy("Start work")),
    "hold": (gettext_lazy("Put on hold"), gettext_lazy("Put on hold")),
    "resume": (gettext_lazy("Resume"), gettext_lazy("Resume work")),
    "resolve": (gettext_lazy("Resolve"), gettext_lazy("Resolve")),
    "reopen": (gettext_lazy("Reopen"), gettext_lazy("Reopen")),
    "close": (gettext_lazy("Close"), gettext_lazy("Close")),
    "cancel": (gettext_lazy("Cancel the incident"), gettext_lazy("Cancel the incident")),
    "priority": (gettext_lazy("Classification and priority"), gettext_lazy("Save priority")),
    "edit": (gettext_lazy("Edit details"), gettext_lazy("Save details")),
    "comment": (gettext_lazy("Reply or add a work note"), gettext_lazy("Add")),
    "merge": (gettext_lazy("Merge into another incident"), gettext_lazy("Merge")),
    **classify.SUMMARIES,
}


def _form_for(name: str, incident: Incident, user: Any, data: Any = None) -> forms.Form:
    """The unbound (initial) or bound form of an action."""
    if name in classify.ACTIONS:
        return classify.form_for(name, incident, user, data)
    if name == "assign":
        teams = [(t.pk, str(t)) for t in team_list_for(user=user)]
        agents = (
            [(m.person_id, str(m.person))
             for m in incident.team.memberships.select_related("person")]
            if incident.team is not None else []
        )
        return AssignForm(data, prefix=name, teams=teams, agents=agents,
                          initial={"team": incident.team_id, "assignee": incident.assignee_id})
    if name == "edit":
        initial = {f: getattr(incident, f) for f in EDIT_FIELDS}
        return IncidentEditForm(data, prefix=name,
                                initial={**initial, "version": incident.version})
    if name == "priority":
        return PriorityForm(data, prefix=name,
                            initial={"impact": incident.impact, "urgency": incident.urgency})
    form_class: dict[str, type[forms.Form]] = {
        "hold": HoldForm, "resolve": ResolveForm, "reopen": ReasonForm, "cancel": ReasonForm,
        "comment": CommentForm, "merge": NumberForm,
    }
    return form_class.get(name, forms.Form)(data, prefix=name)


def _panel(name: str, incident: Incident, form: forms.Form) -> Panel:
    summary, submit = SUMMARIES[name]
    url = reverse("console:incident_act", args=[incident.number, name])
    return Panel(name, summary, submit, form, url)


def _page_context(request: HttpRequest, incident: Incident,
                  bound: dict[str, forms.Form] | None = None,
                  major_bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    from steward.console.views.incident_major import major_context

    user = request.user
    bound = bound or {}

    def panel(name: str) -> Panel:
        return _panel(name, incident, bound.get(name) or _form_for(name, incident, user))

    editable = set(permissions.fields_editable_by(user, incident)) & set(EDIT_FIELDS)
    extra = []
    if incident.is_open and permissions.can_set_priority(user, incident):
        extra.append(panel("priority"))
    if editable and incident.status not in ("closed", "cancelled"):
        extra.append(panel("edit"))
    extra += [panel(name) for name in classify.offered(user, incident)]
    can_note = permissions.can_comment(user, incident, public=False)
    comment = None
    if incident.status not in ("closed", "cancelled") and permissions.can_comment(
        user, incident, public=True
    ):
        comment = panel("comment")
        if not can_note:
            comment.form.fields.pop("public", None)
    offered = permissions.actions_for(user, incident)
    if "reopen" in offered and not _within_reopen_window(incident):
        offered.remove("reopen")  # the service would refuse: the window has passed
    panels = [panel(a) for a in offered]
    shown = {p.name for p in (*panels, *extra, *([comment] if comment else []))}
    # A refused action that is no longer offered still shows why it was refused.
    panels += [_panel(name, incident, form) for name, form in bound.items() if name not in shown]
    return {
        "incident": incident,
        "record": incident,
        "clocks": selectors.incident_clocks_for(user=user, incident=incident),
        "surveys": satisfaction.surveys_for_record(record=incident),
        "timeline": selectors.incident_timeline_for(user=user, incident=incident),
        "panels": panels,
        "extra_panels": extra,
        "comment_panel": comment,
        "attachments": workitems.attachments_for(record=incident).select_related("uploaded_by"),
        "attachment_form": AttachmentForm(),
        "can_upload": identity.can_write(user),
        "upload_url": reverse("console:record_attachments", args=[incident.number]),
        "download_url_name": "console:attachment",
        **routing_context(user, incident),
        **classify.classify_context(user, incident),
        **time_context(user, incident),
        **major_context(user, incident, major_bound),
    }


def _within_reopen_window(incident: Incident) -> bool:
    if incident.resolved_at is None:
        return False
    days = selectors.incident_policy().reopen_window_days
    return timezone.now() <= incident.resolved_at + timedelta(days=days)


@staff_required
def incident_page(request: HttpRequest, number: str) -> HttpResponse:
    incident = selectors.incident_get_for(user=request.user, number=number)
    return render_page(request, "console/incidents/incident.html",
                       _page_context(request, incident), partial="console/incidents/_body.html",
                       section="incidents")


def _assign(actor: Any, incident: Incident, data: dict[str, Any]) -> Any:
    refs = selectors.references_resolve(team_id=data["team"], assignee_id=data["assignee"])
    return services.incident_assign(actor=actor, incident=incident, **refs)


def _edit(actor: Any, incident: Incident, data: dict[str, Any]) -> Any:
    allowed = permissions.fields_editable_by(actor, incident)
    changes = {f: data[f] for f in EDIT_FIELDS if f in allowed and data[f] != getattr(incident, f)}
    return services.incident_update(actor=actor, incident=incident, version=data["version"],
                                    changes=changes)


Runner = Callable[[Any, Incident, dict[str, Any]], Any]
RUNNERS: dict[str, Runner] = {
    "assign": _assign,
    "start": lambda a, i, d: services.incident_start(actor=a, incident=i),
    "hold": lambda a, i, d: services.incident_hold(actor=a, incident=i, **d),
    "resume": lambda a, i, d: services.incident_resume(actor=a, incident=i),
    "resolve": lambda a, i, d: services.incident_resolve(actor=a, incident=i, **d),
    "reopen": lambda a, i, d: services.incident_reopen(actor=a, incident=i, **d),
    "close": lambda a, i, d: services.incident_close(actor=a, incident=i),
    "cancel": lambda a, i, d: services.incident_cancel(actor=a, incident=i, **d),
    "priority": lambda a, i, d: services.incident_set_priority(actor=a, incident=i, **d),
    "edit": _edit,
    "merge": lambda a, i, d: services.incident_merge(
        actor=a, duplicate=i, into=selectors.incident_get_for(user=a, number=d["number"])),
    "comment": lambda a, i, d: services.incident_comment(
        actor=a, incident=i, body=d["body"], public=d.get("public") != "internal"),
    **classify.RUNNERS,
}
DONE: dict[str, str | Promise] = {
    "comment": gettext_lazy("Added."),
    "edit": gettext_lazy("The details were saved."),
    "priority": gettext_lazy("The priority was saved."),
    "merge": gettext_lazy("Merged; this record is closed as a duplicate."),
    **classify.DONE,
}


@staff_required
@require_POST
def incident_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action of the incident page through its service."""
    if action not in RUNNERS:
        raise Http404(action)
    incident = selectors.incident_get_for(user=request.user, number=number)
    form = _form_for(action, incident, request.user, request.POST)
    if action == "comment" and not permissions.can_comment(request.user, incident, public=False):
        del form.fields["public"]
    error: DomainError | None = None
    if form.is_valid():
        try:
            RUNNERS[action](request.user, incident, dict(form.cleaned_data))
        except DomainError as exc:
            _add_error(form, exc)
            error = exc
        else:
            return _done(request, incident, action)
    status = 403 if isinstance(error, NotPermitted) else 422
    if wants_partial(request):
        panel = _panel(action, incident, form)
        response = render_page(request, "console/incidents/_panel.html",
                               {"panel": panel, "open": True, "incident": incident},
                               partial="console/incidents/_panel.html", status=status)
        response["HX-Retarget"] = f"#{panel.dom_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render_page(request, "console/incidents/incident.html",
                       _page_context(request, incident, {action: form}),
                       section="incidents", status=status)


def _done(request: HttpRequest, incident: Incident, action: str) -> HttpResponse:
    fresh = selectors.incident_get_for(user=request.user, number=incident.number)
    if wants_partial(request):
        return render_page(request, "console/incidents/_body.html",
                           _page_context(request, fresh), partial="console/incidents/_body.html")
    messages.success(request, str(DONE.get(action, _("Done."))))
    return redirect("console:incident", number=fresh.number)
