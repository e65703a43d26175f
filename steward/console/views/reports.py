"""The SLA compliance report: figures with their definitions, the monthly trend as an inline
SVG chart (and as a table), missed months and their improvement actions, workload against
limits, breached clocks; CSV and XLSX through the API's export endpoint with the same query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.catalogue.permissions import can_edit_service
from steward.console.access import render_page, staff_required
from steward.console.charts import percent_line_chart
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity.selectors import person_list_for
from steward.sla import reporting, selectors, services
from steward.sla.forms import (
    DIMENSION_LABELS,
    ComplianceReportForm,
    ImprovementActionForm,
    months_between,
)
from steward.sla.models import Agreement, MetricKind

BREACHED_SHOWN = 50


@dataclass(frozen=True)
class FigureRow:
    cells: list[str]
    row: reporting.ComplianceRow
    target: Any  # the agreement's compliance target when grouped by agreement
    below_target: bool


@dataclass(frozen=True)
class MissedRow:
    missed: reporting.MissedMonth
    form: ImprovementActionForm | None  # None: an action exists or the user may not add one


def _metric(kind: str) -> str:
    return str(MetricKind(kind).label) if kind in MetricKind.values else kind


def _cell(dimension: str, value: str, agreements: dict[str, Agreement]) -> str:
    if dimension == "metric":
        return _metric(value)
    if dimension == "agreement" and value in agreements:
        return f"{value} {agreements[value]}"
    if dimension == "customer" and value == "*":
        return _("every customer")
    if dimension == "priority":
        return f"P{value}"
    return value


def _key(agreement: str, metric: str, month: str) -> str:
    return f"{agreement}|{metric}|{month}"


def _missed_rows(request: HttpRequest, missed: list[reporting.MissedMonth],
                 bound: ImprovementActionForm | None) -> list[MissedRow]:
    bound_key = "" if bound is None else _key(
        str(bound.data.get("agreement")), str(bound.data.get("metric")),
        str(bound.data.get("period")),
    )
    people = person_list_for(user=request.user)
    rows = []
    for n, month in enumerate(missed, start=1):
        form = None
        if month.action is None and can_edit_service(request.user, month.agreement.service):
            key = _key(month.agreement.code, month.metric, month.month)
            form = bound if bound is not None and key == bound_key else ImprovementActionForm(
                initial={"agreement": month.agreement.code, "metric": month.metric,
                         "period": month.month,
                         "owner": month.agreement.service.owner.username},
                people=people,
            )
            form.auto_id = f"ia{n}-%s"
        rows.append(MissedRow(month, form))
    return rows


def _report_page(request: HttpRequest, *, bound: ImprovementActionForm | None = None,
                 status: int = 200) -> HttpResponse:
    initial = ComplianceReportForm.initial_for(timezone.localdate())
    form = ComplianceReportForm(request.GET if "start" in request.GET else initial)
    context: dict[str, Any] = {"form": form, "definitions": reporting.DEFINITIONS}
    if form.is_valid():
        context.update(_figures(request, form, bound))
    return render_page(request, "console/sla_report.html", context, section="service_levels",
                       status=status)


def _figures(request: HttpRequest, form: ComplianceReportForm,
             bound: ImprovementActionForm | None) -> dict[str, Any]:
    user = request.user
    start, end = form.period()
    by: list[str] = form.cleaned_data["by"]
    agreements = {a.code: a for a in selectors.agreement_list_for(user=user)}
    figures = []
    for row in reporting.compliance(user=user, start=start, end=end, by=by):
        agreement = agreements.get(row.key.get("agreement", ""))
        target = agreement.compliance_target if agreement else None
        figures.append(FigureRow(
            [_cell(d, row.key[d], agreements) for d in by], row, target,
            target is not None and row.compliance is not None and row.compliance < target,
        ))
    months = months_between(start, end)
    trend = reporting.trend(user=user, start=start, end=end)
    breached = reporting.breached_clocks(user=user, start=start, end=end)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat(), "by": ",".join(by)})
    export = reverse("api:sla_reports_compliance_export", kwargs={"fmt": "csv"})
    missed = _missed_rows(request, reporting.missed_months(user=user, start=start, end=end), bound)
    return {
        "has_figures": True,
        "start": start, "last_day": end - dt.timedelta(days=1),
        "dimensions": [DIMENSION_LABELS[d] for d in by],
        "figures": figures,
        "chart": percent_line_chart(months=months, series=trend,
                                    labels={k: _metric(k) for k in trend}),
        "trend_rows": [
            (month, [dict(points).get(month) for points in trend.values()]) for month in months
        ],
        "trend_metrics": [_metric(k) for k in trend],
        "missed": missed,
        # A refused action whose month is not listed (any more): its errors go above the list.
        "unmatched_form": bound if bound is not None and all(r.form is not bound for r in missed)
        else None,
        "workload": reporting.workload(user=user, start=start, end=end),
        "breached": list(breached[:BREACHED_SHOWN]),
        "breached_count": breached.count(),
        "csv_url": f"{export}?{query}",
        "xlsx_url": f"{export.removesuffix('.csv')}.xlsx?{query}",
        "report_query": request.GET.urlencode(),
    }


@staff_required
def compliance_report(request: HttpRequest) -> HttpResponse:
    return _report_page(request)


@staff_required
@require_POST
def improvement_create(request: HttpRequest) -> HttpResponse:
    """Record the improvement action of a missed month; the report's query comes along in the
    URL so that the page can be shown again, with the form error (422), or redirected to."""
    form = ImprovementActionForm(request.POST, people=person_list_for(user=request.user))
    if not form.is_valid():
        return _report_page(request, bound=form, status=422)
    data = form.cleaned_data
    found = selectors.agreement_get_for(user=request.user, code=data["agreement"])
    try:
        services.improvement_action_create(
            actor=request.user, agreement=found, metric=data["metric"], period=data["period"],
            description=data["description"], owner=data["owner"], due_date=data["due_date"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _report_page(request, bound=form,
                            status=403 if isinstance(exc, NotPermitted) else 422)
    messages.success(request, _("The improvement action was recorded."))
    url = reverse("console:sla_report")
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}#missed" if query else f"{url}#missed")
