"""The major-incident panel of the incident page (banner, communications log, manager and
schedule, review), the incident's links (parent, children, duplicates) and the list of major
incidents. Thin: forms parse, selectors read, the incident services write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required, wants_partial
from steward.core.errors import DomainError, NotPermitted
from steward.incidents import permissions, permissions_major, selectors, selectors_major
from steward.incidents.forms_major import (
    CommsForm,
    DeclareForm,
    NumberForm,
    OwnerForm,
    ReviewForm,
)
from steward.incidents.models import Incident, IncidentStatus, MajorIncident
from steward.incidents.services import links, major, major_comms, review

MAJOR_SUMMARIES: dict[str, tuple[str | Promise, str | Promise]] = {
    "declare": (gettext_lazy("Declare a major incident"), gettext_lazy("Declare")),
    "comms": (gettext_lazy("Log a communication"), gettext_lazy("Send or log")),
    "owner": (gettext_lazy("Manager and update schedule"), gettext_lazy("Save")),
    "review": (gettext_lazy("Major-incident review"), gettext_lazy("Save the review")),
    "parent": (gettext_lazy("Link to a parent incident"), gettext_lazy("Link")),
    "unlink": (gettext_lazy("Remove the parent link"), gettext_lazy("Unlink")),
    "children": (
        gettext_lazy("Resolve the open child incidents with this resolution"),
        gettext_lazy("Resolve the children"),
    ),
}


def _agents() -> list[tuple[int, str]]:
    return selectors_major.agent_choices()


def _form(
    name: str, incident: Incident, found: MajorIncident | None, data: Any = None
) -> forms.Form:
    if name == "owner" and found is not None:
        return OwnerForm(
            data,
            prefix=name,
            agents=_agents(),
            initial={
                "owner": found.owner_id,
                "version": found.version,
                "update_interval_minutes": found.update_interval_minutes,
            },
        )
    if name == "review" and found is not None:
        saved = selectors_major.major_review_of(found)
        initial: dict[str, Any] = {}
        if saved is not None:
            initial = {
                "version": saved.version,
                "timeline_summary": saved.timeline_summary,
                "cause": saved.cause,
            }
            for n, action in enumerate(saved.actions.all(), start=1):
                initial |= {
                    f"action_{n}": action.description,
                    f"action_{n}_owner": action.owner_id,
                    f"action_{n}_due": action.due_on,
                }
        return ReviewForm(data, prefix=name, agents=_agents(), initial=initial)
    form_class: dict[str, type[forms.Form]] = {
        "declare": DeclareForm,
        "comms": CommsForm,
        "parent": NumberForm,
    }
    return form_class.get(name, forms.Form)(data, prefix=name)


def _panel(name: str, incident: Incident, form: forms.Form) -> Any:
    from steward.console.views.incidents import Panel

    summary, submit = MAJOR_SUMMARIES[name]
    return Panel(
        name,
        summary,
        submit,
        form,
        reverse("console:incident_major_act", args=[incident.number, name]),
    )


def _offered(
    user: Any, incident: Incident, found: MajorIncident | None, link_rows: list[dict[str, Any]]
) -> list[str]:
    offered = []
    is_open = incident.is_open
    if (
        found is None
        and is_open
        and permissions.can_declare_major(user)
        and permissions.is_agent(user)
    ):
        offered.append("declare")
    if found is not None and permissions_major.can_manage_major(user, incident):
        if incident.status not in (IncidentStatus.CLOSED, IncidentStatus.CANCELLED):
            offered.append("comms")
        reviewed = selectors_major.major_review_of(found)
        if reviewed is None or not reviewed.is_complete:
            offered.append("review")
    if found is not None and is_open and permissions_major.can_set_major_owner(user, incident):
        offered.append("owner")
    if is_open and permissions_major.can_link(user, incident):
        has_parent = any(r["role"] == "parent" for r in link_rows)
        offered.append("unlink" if has_parent else "parent")
    if (
        incident.status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED)
        and selectors_major.open_children_of(incident).exists()
    ):
        offered.append("children")
    return offered


def major_context(
    user: Any, incident: Incident, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """What the incident page shows of major incidents and links (for ``_page_context``)."""
    bound = bound or {}
    found = selectors_major.major_of(incident)
    link_rows = selectors_major.link_rows_for(user=user, incident=incident)
    names = _offered(user, incident, found, link_rows)
    names += [n for n in bound if n not in names and n in MAJOR_SUMMARIES]
    return {
        "major": found,
        "major_overdue": found is not None
        and incident.is_open
        and found.next_update_due_at <= timezone.now(),
        "major_comms": list(selectors_major.major_comms_for(found)) if found else [],
        "major_review": selectors_major.major_review_of(found) if found else None,
        "link_rows": link_rows,
        "major_panels": [
            _panel(n, incident, bound.get(n) or _form(n, incident, found)) for n in names
        ],
    }


def _major_of(incident: Incident) -> MajorIncident:
    found = selectors_major.major_of(incident)
    if found is None:
        raise Http404("not a major incident")
    return found


def _owner(actor: Any, incident: Incident, d: dict[str, Any]) -> Any:
    owner = selectors.references_resolve(assignee_id=d["owner"])["assignee"]
    return major.major_set_owner(
        actor=actor,
        major=_major_of(incident),
        owner=owner,
        update_interval_minutes=d["update_interval_minutes"],
        version=d["version"],
    )


def _review(actor: Any, incident: Incident, d: dict[str, Any], form: forms.Form) -> Any:
    assert isinstance(form, ReviewForm)
    rows = form.action_rows()
    people = selectors_major.people_by_id([row["owner_id"] for row in rows])
    actions = []
    for row in rows:
        owner = people.get(row["owner_id"])
        actions.append({"description": row["description"], "owner": owner, "due_on": row["due_on"]})
    return review.major_review_save(
        actor=actor,
        major=_major_of(incident),
        timeline_summary=d["timeline_summary"],
        cause=d["cause"],
        actions=actions,
        complete=d["complete"],
        version=d.get("version"),
    )


def _children(request: HttpRequest, incident: Incident) -> Any:
    results = links.incident_resolve_children(actor=request.user, parent=incident)
    for result in results:
        if not result.done:
            messages.warning(request, f"{result.number}: {result.message}")
    done = sum(1 for r in results if r.done)
    messages.success(request, _("%(count)d child incidents resolved.") % {"count": done})
    return results


Runner = Callable[[HttpRequest, Incident, dict[str, Any], forms.Form], Any]
RUNNERS: dict[str, Runner] = {
    "declare": lambda r, i, d, f: major.major_declare(actor=r.user, incident=i, reason=d["reason"]),
    "comms": lambda r, i, d, f: major_comms.major_comms_add(
        actor=r.user,
        major=_major_of(i),
        audiences=d["audiences"],
        message=d["message"],
        channel=d["channel"],
    ),
    "owner": lambda r, i, d, f: _owner(r.user, i, d),
    "review": lambda r, i, d, f: _review(r.user, i, d, f),
    "parent": lambda r, i, d, f: links.incident_link_child(
        actor=r.user, child=i, parent=selectors.incident_get_for(user=r.user, number=d["number"])
    ),
    "unlink": lambda r, i, d, f: links.incident_unlink_parent(actor=r.user, child=i),
    "children": lambda r, i, d, f: _children(r, i),
}


@staff_required
@require_POST
def incident_major_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one major-incident or link action of the incident page through its service."""
    from steward.console.views.incidents import _add_error, _done, _page_context

    if action not in RUNNERS:
        raise Http404(action)
    incident = selectors.incident_get_for(user=request.user, number=number)
    form = _form(action, incident, selectors_major.major_of(incident), request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            RUNNERS[action](request, incident, dict(form.cleaned_data), form)
        except DomainError as exc:
            _add_error(form, exc)
            error = exc
        else:
            return _done(request, incident, action)
    status = 403 if isinstance(error, NotPermitted) else 422
    if wants_partial(request):
        panel = _panel(action, incident, form)
        response = render_page(
            request,
            "console/incidents/_panel.html",
            {"panel": panel, "open": True, "incident": incident},
            partial="console/incidents/_panel.html",
            status=status,
        )
        response["HX-Retarget"] = f"#{panel.dom_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render_page(
        request,
        "console/incidents/incident.html",
        _page_context(request, incident, major_bound={action: form}),
        section="incidents",
        status=status,
    )


@staff_required
def major_list(request: HttpRequest) -> HttpResponse:
    """The major incidents the user may see: open ones first, then the last closed."""
    open_only = request.GET.get("open") == "1"
    found = list(selectors_major.major_list_for(user=request.user, open_only=open_only)[:100])
    now = timezone.now()
    return render_page(
        request,
        "console/incidents/major_list.html",
        {"majors": found, "open_only": open_only, "now": now},
        section="incidents",
    )
