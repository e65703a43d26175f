"""Teams, departments and sites."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required
from steward.console.forms import SiteFilterForm
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity import selectors, services
from steward.identity.forms import TeamMembersForm
from steward.identity.models import Department, Team

SITE_PAGE_SIZE = 50


@staff_required
def teams(request: HttpRequest) -> HttpResponse:
    return render_page(request, "console/teams.html",
                       {"teams": selectors.team_list_for(user=request.user)}, section="teams")


def _team_page(request: HttpRequest, team: Team, *, form: TeamMembersForm | None = None,
               status: int = 200) -> HttpResponse:
    members = team.members.select_related("site").order_by("username")
    return render_page(request, "console/team.html", {
        "team": team,
        "members": members,
        "members_form": form or TeamMembersForm(
            current=members, people=selectors.person_list_for(user=request.user),
            initial={"keep": list(members)},
        ),
    }, section="teams", status=status)


@staff_required
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    return _team_page(request, selectors.team_get_for(user=request.user, team_id=team_id))


@staff_required
@require_POST
def team_members(request: HttpRequest, team_id: int) -> HttpResponse:
    found = selectors.team_get_for(user=request.user, team_id=team_id)
    form = TeamMembersForm(request.POST, current=found.members.all(),
                           people=selectors.person_list_for(user=request.user))
    if form.is_valid():
        try:
            services.team_set_members(actor=request.user, team=found, members=form.members())
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 403 if isinstance(exc, NotPermitted) else 422
            return _team_page(request, found, form=form, status=status)
        messages.success(request, _("The members were saved."))
        return redirect("console:team", team_id=found.pk)
    return _team_page(request, found, form=form, status=422)


@dataclass
class DepartmentNode:
    department: Department
    children: list[DepartmentNode] = field(default_factory=list)


@staff_required
def departments(request: HttpRequest) -> HttpResponse:
    departments = list(selectors.department_list_for(user=request.user).select_related("head"))
    nodes = {d.pk: DepartmentNode(d) for d in departments}
    children: dict[int | None, list[DepartmentNode]] = defaultdict(list)
    for d in departments:
        parent = d.parent_id if d.parent_id in nodes else None
        children[parent].append(nodes[d.pk])
    for pk, node in nodes.items():
        node.children = children.get(pk, [])
    return render_page(request, "console/departments.html", {"roots": children.get(None, [])},
                       section="departments")


@staff_required
def sites(request: HttpRequest) -> HttpResponse:
    all_sites = selectors.site_list_for(user=request.user)
    regions = [
        r for r in all_sites.order_by("region").values_list("region", flat=True).distinct() if r
    ]
    form = SiteFilterForm(request.GET or None, regions=regions)
    region = form.cleaned_data["region"] if form.is_valid() else ""
    found: Any = selectors.site_list_for(user=request.user, region=region).select_related(
        "department"
    )
    page_obj = Paginator(found, SITE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "console/sites.html", {"filter_form": form, "page_obj": page_obj},
                       section="sites")
