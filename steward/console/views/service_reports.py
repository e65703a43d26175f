"""Service reports (ISO/IEC 20000-1 9.4): the incident report with its period picker,
grouping and filters (team, engineer, department, site ...), the monthly trend as an inline
SVG chart and a table, engineer scorecards; exports through the API with the same query.
Figures and their definitions come from ``steward.reports``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from steward.console.access import render_page, staff_required
from steward.console.count_chart import count_line_chart
from steward.core.errors import DomainError
from steward.core.views import add_domain_error
from steward.reports import csat, selectors
from steward.reports.definitions import AGE_BUCKETS, DEFINITIONS
from steward.reports.figures import TrendPoint
from steward.reports.forms import GROUPING_LABELS, IncidentReportForm


def _chart(points: list[TrendPoint]) -> Any:
    months = [p.month for p in points]
    return count_line_chart(
        months=months,
        series={"opened": [(p.month, p.opened) for p in points],
                "resolved": [(p.month, p.resolved) for p in points]},
        labels={"opened": pgettext("incidents opened", "Opened"), "resolved": _("Resolved")},
    )


def _presets(request: HttpRequest) -> list[tuple[Any, str]]:
    """Quick-period links keeping the rest of the query (grouping, filters)."""
    links = []
    for label, first, last in IncidentReportForm.presets(timezone.localdate()):
        query = request.GET.copy()
        query["start"], query["end"] = first.isoformat(), last.isoformat()
        query.setdefault("by", request.GET.get("by", "total"))
        links.append((label, query.urlencode()))
    return links


def _common(request: HttpRequest) -> dict[str, Any]:
    return {
        "presets": _presets(request),
        "definitions": DEFINITIONS,
        "age_buckets": [(key, label) for key, label, *_ in AGE_BUCKETS],
        "csat_connected": csat.connected(),
    }


@staff_required
def incident_report(request: HttpRequest) -> HttpResponse:
    preset = request.GET.get("by", "total")
    initial = IncidentReportForm.initial_for(
        timezone.localdate(), preset if preset in GROUPING_LABELS else "total"
    )
    form = IncidentReportForm(request.GET if "start" in request.GET else initial)
    context: dict[str, Any] = {"form": form, **_common(request)}
    status = 200
    if form.is_valid():
        try:
            context.update(_figures(request, form))
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 422
    else:
        status = 422 if "start" in request.GET else 200
    return render_page(request, "console/reports/incidents.html", context, section="reports",
                       status=status)


def _figures(request: HttpRequest, form: IncidentReportForm) -> dict[str, Any]:
    user, by = request.user, form.cleaned_data["by"]
    period, filters = form.period(), form.filters()
    total = selectors.measures(user=user, period=period, filters=filters)[0]
    rows = [] if by == "total" else selectors.measures(
        user=user, period=period, filters=filters, by=by
    )
    points = selectors.trend(user=user, period=period, filters=filters)
    if by == "total":
        breakdowns = [
            (GROUPING_LABELS[dim], selectors.volumes(user=user, period=period, filters=filters,
                                                     by=dim))
            for dim in ("channel", "priority")
        ]
    else:
        breakdowns = []
    export = reverse("api:reports_incidents_export", kwargs={"fmt": "csv"})
    query = urlencode(form.query())
    return {
        "has_figures": True,
        "period": period,
        "by": by,
        "by_label": GROUPING_LABELS[by],
        "total": total,
        "rows": rows,
        "engineer_links": selectors.usernames(keys=[r.key for r in rows]) if by == "engineer"
        else {},
        "trend": points,
        "chart": _chart(points),
        "breakdowns": breakdowns,
        "csv_url": f"{export}?{query}",
        "xlsx_url": f"{export.removesuffix('.csv')}.xlsx?{query}",
        "now": timezone.now(),
    }


@staff_required
def engineer_scorecard(request: HttpRequest, username: str) -> HttpResponse:
    person = selectors.engineer_get(user=request.user, username=username)
    initial = IncidentReportForm.initial_for(timezone.localdate())
    form = IncidentReportForm(request.GET if "start" in request.GET else initial)
    context: dict[str, Any] = {"form": form, "person": person, **_common(request)}
    if form.is_valid():
        card = selectors.scorecard(user=request.user, person=person, period=form.period(),
                                   filters=form.filters())
        context.update({"has_figures": True, "period": form.period(), "total": card.row,
                        "trend": card.trend, "chart": _chart(card.trend)})
    return render_page(request, "console/reports/scorecard.html", context, section="reports")


@staff_required
def engineer_list(request: HttpRequest) -> HttpResponse:
    people = selectors.engineers_for(user=request.user)
    return render_page(request, "console/reports/engineers.html", {"people": people},
                       section="reports")
