"""Routing rules and team assignment in the console. Staff read; administrators change rules;
a team's lead (or an administrator) sets its assignment strategy; members mark themselves
away. Thin: forms parse, ``selectors_routing`` reads, the routing services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity.models import Person, Team
from steward.identity.selectors import team_get_for, team_list_for
from steward.incidents import permissions_routing as perms
from steward.incidents import selectors_routing as selectors
from steward.incidents.forms_routing import AvailabilityForm, RoutingRuleForm, StrategyForm
from steward.incidents.models import AssignmentStrategy, RoutingRule, TeamAssignment
from steward.incidents.services import routing, team_assignment

FIELDS = ("name", "team", "service", "category", "site", "site_group", "keywords", "vip_only",
          "is_active")


@staff_required
def routing_rules(request: HttpRequest) -> HttpResponse:
    rules = list(selectors.routing_rule_list_for(user=request.user))
    strategies = dict(TeamAssignment.objects.values_list("team_id", "strategy"))
    teams = [
        (team, AssignmentStrategy(strategies.get(team.pk, AssignmentStrategy.MANUAL)).label)
        for team in team_list_for(user=request.user).filter(is_active=True)
    ]
    return render_page(request, "console/routing/rules.html", {
        "rules": rules, "teams": teams, "can_manage": perms.can_manage_routing(request.user),
    }, section="routing")


def _rule_form_page(request: HttpRequest, form: RoutingRuleForm, rule: RoutingRule | None,
                    status: int = 200) -> HttpResponse:
    return render_page(request, "console/routing/rule_edit.html",
                       {"form": form, "rule": rule}, section="routing", status=status)


@staff_required
def routing_rule_new(request: HttpRequest) -> HttpResponse:
    if not perms.can_manage_routing(request.user):
        raise PermissionDenied
    form = RoutingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FIELDS}
        try:
            routing.routing_rule_create(actor=request.user, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The routing rule was added."))
            return redirect("console:routing")
    return _rule_form_page(request, form, None, 422 if request.method == "POST" else 200)


@staff_required
def routing_rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    if not perms.can_manage_routing(request.user):
        raise PermissionDenied
    rule = selectors.routing_rule_get_for(user=request.user, rule_id=rule_id)
    initial = {k: getattr(rule, k) for k in FIELDS} | {"version": rule.version}
    form = RoutingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in FIELDS if data[k] != getattr(rule, k)}
        try:
            routing.routing_rule_update(actor=request.user, rule=rule,
                                        version=data["version"] or 0, changes=changes)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The routing rule was saved."))
            return redirect("console:routing")
    return _rule_form_page(request, form, rule, 422 if request.method == "POST" else 200)


@staff_required
@require_POST
def routing_rule_act(request: HttpRequest, rule_id: int, action: str) -> HttpResponse:
    """Move a rule up or down, or (de)activate it."""
    rule = selectors.routing_rule_get_for(user=request.user, rule_id=rule_id)
    runners: dict[str, Any] = {
        "up": lambda: routing.routing_rule_move(actor=request.user, rule=rule, offset=-1),
        "down": lambda: routing.routing_rule_move(actor=request.user, rule=rule, offset=1),
        "activate": lambda: routing.routing_rule_set_active(actor=request.user, rule=rule,
                                                            active=True),
        "deactivate": lambda: routing.routing_rule_set_active(actor=request.user, rule=rule,
                                                              active=False),
    }
    if action not in runners:
        raise PermissionDenied
    try:
        runners[action]()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:routing")


def _team_page(request: HttpRequest, team: Team, form: StrategyForm | None = None,
               status: int = 200) -> HttpResponse:
    strategy, members = selectors.team_assignment_for(team=team)
    return render_page(request, "console/routing/team.html", {
        "team": team, "members": members,
        "strategy_label": AssignmentStrategy(strategy).label,
        "form": form or StrategyForm(initial={"strategy": strategy}),
        "can_set_strategy": perms.can_set_strategy(request.user, team),
        "editable": {m.person.pk for m in members
                     if perms.can_set_availability(request.user, team, m.person)},
    }, section="routing", status=status)


@staff_required
def routing_team(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_get_for(user=request.user, team_id=team_id)
    if request.method != "POST":
        return _team_page(request, team)
    form = StrategyForm(request.POST)
    if form.is_valid():
        try:
            team_assignment.team_strategy_set(actor=request.user, team=team,
                                              strategy=form.cleaned_data["strategy"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return _team_page(request, team, form, 403 if isinstance(exc, NotPermitted) else 422)
        messages.success(request, _("The assignment strategy was saved."))
        return redirect("console:routing_team", team_id=team.pk)
    return _team_page(request, team, form, 422)


@staff_required
@require_POST
def routing_member(request: HttpRequest, team_id: int, person_id: int) -> HttpResponse:
    team = team_get_for(user=request.user, team_id=team_id)
    person = Person.objects.filter(pk=person_id).first()
    form = AvailabilityForm(request.POST)
    if person is None or not form.is_valid():
        messages.error(request, _("Choose whether the person is available."))
        return redirect("console:routing_team", team_id=team.pk)
    try:
        team_assignment.member_availability_set(
            actor=request.user, team=team, person=person,
            available=form.cleaned_data["available"], note=form.cleaned_data["note"],
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("console:routing_team", team_id=team.pk)
