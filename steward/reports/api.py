"""Reports API at /api/v1/reports: incident measures (grouped), the monthly trend, engineer
scorecards, the definitions, and CSV/XLSX exports with the same query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from steward.core.errors import ValidationFailed
from steward.reports import exports, params, selectors
from steward.reports.definitions import DEFINITIONS
from steward.reports.schemas import MeasureRowOut, ScorecardOut, TrendPointOut

router = Router(tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(service: str | None, team: str | None, department: str | None, site: str | None,
             engineer: str | None, priority: int | None, channel: str | None) -> Any:
    return params.filters_of(service=service, team=team, department=department, site=site,
                             engineer=engineer, priority=priority, channel=channel)


@router.get("/definitions", response=dict[str, str], operation_id="reports_definitions")
def definitions(request: HttpRequest) -> Any:
    selectors.require_reports(request.user)
    return {key: str(text) for key, text in DEFINITIONS.items()}


@router.get("/incidents", response=list[MeasureRowOut], operation_id="reports_incidents")
def incidents(
    request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None,
    by: str = "total", service: str | None = None, team: str | None = None,
    department: str | None = None, site: str | None = None, engineer: str | None = None,
    priority: int | None = None, channel: str | None = None,
) -> Any:
    selectors.require_reports(request.user)
    period = params.period_of(start, end)
    filters = _filters(service, team, department, site, engineer, priority, channel)
    return selectors.measures(
        user=request.user, period=period, filters=filters, by=params.grouping_of(by)
    )


@router.get("/incidents/trend", response=list[TrendPointOut], operation_id="reports_trend")
def trend(
    request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None,
    service: str | None = None, team: str | None = None, department: str | None = None,
    site: str | None = None, engineer: str | None = None, priority: int | None = None,
    channel: str | None = None,
) -> Any:
    selectors.require_reports(request.user)
    period = params.period_of(start, end)
    filters = _filters(service, team, department, site, engineer, priority, channel)
    return selectors.trend(user=request.user, period=period, filters=filters)


@router.get(
    "/incidents.{fmt}", operation_id="reports_incidents_export",
    url_name="reports_incidents_export", response={200: None},
)
def incidents_export(
    request: HttpRequest, fmt: str, start: dt.date | None = None, end: dt.date | None = None,
    by: str = "total", service: str | None = None, team: str | None = None,
    department: str | None = None, site: str | None = None, engineer: str | None = None,
    priority: int | None = None, channel: str | None = None,
) -> Any:
    selectors.require_reports(request.user)
    if fmt not in ("csv", "xlsx"):
        raise ValidationFailed(_("Use csv or xlsx."), field="fmt")
    period = params.period_of(start, end)
    filters = _filters(service, team, department, site, engineer, priority, channel)
    by = params.grouping_of(by)
    rows = selectors.measures(user=request.user, period=period, filters=filters, by=by)
    name = f"incidents-{by}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(exports.table(rows)),
                                content_type="text/csv; charset=utf-8")
    else:
        points = selectors.trend(user=request.user, period=period, filters=filters)
        response = HttpResponse(
            exports.to_xlsx({"Incidents": exports.table(rows),
                             "Trend": exports.trend_table(points)}),
            content_type=XLSX,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@router.get("/scorecards/{username}", response=ScorecardOut, operation_id="reports_scorecard")
def scorecard(
    request: HttpRequest, username: str, start: dt.date | None = None,
    end: dt.date | None = None,
) -> Any:
    person = selectors.engineer_get(user=request.user, username=username)
    card = selectors.scorecard(user=request.user, person=person,
                               period=params.period_of(start, end))
    return {"username": person.username, "name": person.display_name(), "figures": card.row,
            "trend": card.trend}
