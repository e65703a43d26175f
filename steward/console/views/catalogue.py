"""The service catalogue in the console: services, their agreements and request items.

Administrators and a service's owner edit the service through ``catalogue.services``; the page
shows the edit link only when ``catalogue.permissions.can_edit_service`` holds, the same rule
the service checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from steward.catalogue import permissions, selectors, services
from steward.catalogue.forms import ServiceEditForm, ServiceFilterForm, request_form
from steward.catalogue.models import RequestItemVersion, Service
from steward.console.access import render_page, staff_required
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity import selectors as identity_selectors
from steward.sla import selectors as sla_selectors
from steward.sla.models import Agreement

PAGE_SIZE = 50


@staff_required
def services_list(request: HttpRequest) -> HttpResponse:
    categories = selectors.portal_categories()
    form = ServiceFilterForm(request.GET or None, categories=categories)
    found: Any = selectors.service_list_for(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if text := data["q"].strip():
            found = found.filter(
                Q(code__icontains=text) | Q(name__icontains=text)
                | Q(name_en__icontains=text) | Q(keywords__icontains=text)
            )
        if data["category"]:
            found = found.filter(category__code=data["category"])
        if data["lifecycle"]:
            found = found.filter(lifecycle=data["lifecycle"])
        if data["criticality"]:
            found = found.filter(criticality=data["criticality"])
    found = found.annotate(item_count=Count("request_items")).order_by("code")
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "console/services.html", {
        "filter_form": form, "page_obj": page_obj,
    }, partial="console/_service_rows.html", section="catalogue")


@dataclass(frozen=True)
class TargetRow:
    kind: str
    calendar: Any
    targets: list[int | None]  # minutes, one per priority column


@dataclass(frozen=True)
class AgreementTargets:
    agreement: Agreement
    priorities: list[str]
    rows: list[TargetRow]


def agreement_targets(agreement: Agreement) -> AgreementTargets:
    """An agreement's metrics as a table: one row per metric, one column per priority."""
    metrics = list(agreement.metrics.all())
    priorities = sorted({p for m in metrics for p in m.targets}, key=int)
    rows = [
        TargetRow(m.kind, m.calendar, [m.target_minutes(int(p)) for p in priorities])
        for m in metrics
    ]
    return AgreementTargets(agreement, priorities, rows)


def _service_agreements(request: HttpRequest, service: Service) -> list[AgreementTargets]:
    agreements = (
        sla_selectors.agreement_list_for(user=request.user)
        .filter(service=service)
        .select_related("customer_department", "customer_site_group", "team")
        .order_by("kind", "code")
    )
    return [agreement_targets(a) for a in agreements]


@staff_required
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_get_for(user=request.user, code=code)
    items = service.request_items.select_related("current").order_by("code")
    return render_page(request, "console/service.html", {
        "service": service,
        "customer_departments": service.customer_departments.all(),
        "customer_site_groups": service.customer_site_groups.all(),
        "depends_on": service.depends_on.all(),
        "dependants": service.dependants.all(),
        "items": items,
        "agreements": _service_agreements(request, service),
        "can_edit": permissions.can_edit_service(request.user, service),
    }, section="catalogue")


def _edit_form(request: HttpRequest, service: Service, data: Any = None) -> ServiceEditForm:
    return ServiceEditForm(
        data, initial=ServiceEditForm.initial_for(service),
        categories=selectors.portal_categories(),
        teams=identity_selectors.team_list_for(user=request.user).order_by("code"),
        people=identity_selectors.person_list_for(user=request.user),
    )


@staff_required
def service_edit(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the edit form. POST: ``service_update``; a refused change is a form error (422)."""
    service = selectors.service_get_for(user=request.user, code=code)
    if request.method != "POST":
        if not permissions.can_edit_service(request.user, service):
            raise PermissionDenied
        return _edit_page(request, service, _edit_form(request, service))
    form = _edit_form(request, service, request.POST)
    if not form.is_valid():
        return _edit_page(request, service, form, status=422)
    try:
        services.service_update(actor=request.user, service=service, changes=form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _edit_page(request, service, form,
                          status=403 if isinstance(exc, NotPermitted) else 422)
    messages.success(request, _("The service was saved."))
    return redirect("console:service", code=service.code)


def _edit_page(request: HttpRequest, service: Service, form: ServiceEditForm,
               status: int = 200) -> HttpResponse:
    return render_page(request, "console/service_edit.html", {"service": service, "form": form},
                       section="catalogue", status=status)


@staff_required
def request_item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The current version of a request item (or ``?version=N``) and its version history."""
    item = selectors.request_item_get_for(user=request.user, code=code)
    versions = list(
        item.versions.select_related("created_by", "approval_team").order_by("-number")
    )
    wanted = request.GET.get("version", "")
    shown: RequestItemVersion | None = next(
        (v for v in versions if str(v.number) == wanted), None
    ) if wanted else next((v for v in versions if v.pk == item.current_id), None)
    if shown is None:
        raise Http404
    teams = {
        t.code: t for t in identity_selectors.team_list_for(user=request.user)
        .filter(code__in=[task.get("team") for task in shown.tasks])
    }
    language = get_language() or "zh-hans"
    return render_page(request, "console/request_item.html", {
        "item": item,
        "version": shown,
        "is_current": shown.pk == item.current_id,
        "versions": versions,
        "preview": request_form(shown.form, language=language, disabled=True, prefix="preview"),
        "tasks": [
            {
                "title": (t.get("title_en") if language.startswith("en") else None)
                or t.get("title", ""),
                "team": teams.get(t.get("team")) or t.get("team"),
            }
            for t in shown.tasks
        ],
        "can_edit": permissions.can_edit_service(request.user, item.service),
    }, section="catalogue")
