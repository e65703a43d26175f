"""Agreements (SLA, OLA, underpinning contracts): the list and an agreement's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from steward.console.access import render_page, staff_required
from steward.console.views.catalogue import agreement_targets
from steward.sla import selectors
from steward.sla.models import AgreementKind, AgreementStatus

_RELATED = ("service", "customer_department", "customer_site_group", "team")
ESCALATION_LABELS = {
    "": _("nobody"),
    "assignee": _("the assignee"),
    "team_lead": _("the team lead"),
    "service_owner": _("the service owner"),
}


@staff_required
def agreements(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    found: Any = selectors.agreement_list_for(user=request.user).select_related(*_RELATED)
    if kind in AgreementKind.values:
        found = found.filter(kind=kind)
    if status in AgreementStatus.values:
        found = found.filter(status=status)
    return render_page(request, "console/agreements.html", {
        "agreements": found.order_by("service__code", "kind", "code"),
        "kinds": AgreementKind.choices, "statuses": AgreementStatus.choices,
        "kind": kind, "status": status,
    }, section="service_levels")


@staff_required
def agreement(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.agreement_get_for(user=request.user, code=code)
    thresholds = sorted(int(p) for p in found.warning_thresholds)
    escalation = [
        (percent, ESCALATION_LABELS.get(level, level))
        for percent in [*thresholds, 100]
        for level in [str(found.escalation.get(str(percent), ""))]
    ]
    return render_page(request, "console/agreement.html", {
        "agreement": found,
        "targets": agreement_targets(found),
        "metrics": list(found.metrics.all()),
        "escalation": escalation,
    }, section="service_levels")
