"""Escalation on the console's incident page: the panels offered (the escalation table and
the permission predicates, as the services check) and the view running them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required, wants_partial
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity.selectors import team_list_for
from steward.incidents import permissions_routing as perms
from steward.incidents import selectors
from steward.incidents import selectors_routing as routing
from steward.incidents.forms_routing import EscalateFunctionalForm, EscalateHierarchicalForm
from steward.incidents.models import ESCALATIONS, Incident
from steward.incidents.services import escalation

ACTIONS = {"escalate_functional": "functional", "escalate_hierarchical": "hierarchical"}
LABELS = {
    "escalate_functional": (gettext_lazy("Escalate to another team"), gettext_lazy("Escalate")),
    "escalate_hierarchical": (gettext_lazy("Escalate to management"), gettext_lazy("Escalate")),
}


def _form(action: str, incident: Incident, user: Any, data: Any = None,
          next_level: tuple[int, Any] | None = None) -> forms.Form:
    if action == "escalate_functional":
        teams = [(t.pk, str(t)) for t in team_list_for(user=user).filter(is_active=True)
                 if t.pk != incident.team_id]
        return EscalateFunctionalForm(data, prefix=action, teams=teams)
    form = EscalateHierarchicalForm(data, prefix=action)
    found = next_level
    if found is not None:
        form.fields["reason"].help_text = _("Level %(level)s: %(person)s") % {
            "level": found[0], "person": found[1]}
    return form


def escalation_panels(user: Any, incident: Incident, bound: dict[str, forms.Form] | None = None,
                      escalations: list[Any] | None = None) -> list[Any]:
    """The escalation panels of the incident page (``console.views.incidents.Panel``)."""
    from steward.console.views.incidents import Panel

    bound = bound or {}
    offered: list[str] = []
    next_level = None
    if perms.can_escalate(user, incident):
        allowed = ESCALATIONS.allowed(incident.status)
        if "escalate_hierarchical" in allowed:
            next_level = routing.escalation_next_level(incident, escalations)
        offered = routing.offered_escalations(allowed, has_next=next_level is not None)
    names = [*offered, *(name for name in bound if name not in offered)]
    return [
        Panel(name, LABELS[name][0], LABELS[name][1],
              bound.get(name) or _form(name, incident, user, next_level=next_level),
              reverse("console:incident_escalate", args=[incident.number, name]))
        for name in names
    ]


def routing_context(user: Any, incident: Incident) -> dict[str, Any]:
    """What the incident page adds for escalation: the panels and the escalation history."""
    escalations = list(routing.escalations_for(incident=incident))
    return {
        "escalation_panels": escalation_panels(user, incident, escalations=escalations),
        "escalations": escalations,
    }


def _run(action: str, actor: Any, incident: Incident, data: dict[str, Any]) -> Incident:
    if action == "escalate_functional":
        team = selectors.references_resolve(team_id=data["team"])["team"]
        return escalation.incident_escalate_functional(
            actor=actor, incident=incident, team=team, reason=data["reason"])
    return escalation.incident_escalate_hierarchical(
        actor=actor, incident=incident, reason=data["reason"])


@staff_required
@require_POST
def incident_escalate(request: HttpRequest, number: str, action: str) -> HttpResponse:
    from steward.console.views.incidents import _page_context

    if action not in ACTIONS:
        raise Http404(action)
    incident = selectors.incident_get_for(user=request.user, number=number)
    form = _form(action, incident, request.user, request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            _run(action, request.user, incident, dict(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
            error = exc
        else:
            messages.success(request, _("The incident was escalated."))
            return _after(request, incident)
    status = 403 if isinstance(error, NotPermitted) else 422
    context = _page_context(request, incident)
    context["escalation_panels"] = escalation_panels(request.user, incident, {action: form})
    if wants_partial(request):
        panel = next(p for p in context["escalation_panels"] if p.name == action)
        response = render_page(request, "console/incidents/_panel.html",
                               {"panel": panel, "open": True, "incident": incident},
                               partial="console/incidents/_panel.html", status=status)
        response["HX-Retarget"] = f"#{panel.dom_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render_page(request, "console/incidents/incident.html", context,
                       section="incidents", status=status)


def _after(request: HttpRequest, incident: Incident) -> HttpResponse:
    """Back to the incident if the actor may still see it (after a functional escalation
    they may not: it belongs to another team now), else to the queue."""
    target = reverse("console:incident", args=[incident.number])
    try:
        selectors.incident_get_for(user=request.user, number=incident.number)
    except DomainError:
        target = reverse("console:incidents")
    if wants_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)
