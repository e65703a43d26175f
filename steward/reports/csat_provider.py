"""The satisfaction app's figures in the reports (wired as ``csat.PROVIDER`` by ReportsConfig).

Counts the surveys of the report's incidents (its filters applied to the incidents) invited in
the period, void surveys excluded, grouped by the team and engineer the survey recorded at
resolution. Team leads, service owners, auditors and administrators see every group; anyone
else sees only their own engineer row (their scorecard). Groups without any survey get no
figures (shown as "no ratings"), never zeros. The arithmetic is the satisfaction app's own
(``satisfaction.csat``), so both pages show the same figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType

from steward.incidents.models import Incident
from steward.reports.figures import CsatFigures
from steward.reports.query import Filters, Period
from steward.satisfaction.csat import FIGURES, CsatRow, csat_row, csat_surveys
from steward.satisfaction.permissions import can_view_csat

_FIELDS = {"total": None, "team": "team_id", "engineer": "engineer_id"}


def _figures(values: dict[str, Any]) -> CsatFigures:
    row: CsatRow = csat_row("", "", values)
    return CsatFigures(average=row.average, satisfied_pct=row.satisfied_pct,
                       ratings=row.rated, response_rate=row.response_pct)


def satisfaction_figures(
    *, user: Any, period: Period, filters: Filters, by: str
) -> dict[Any, CsatFigures]:
    """CSAT per group key (team id, engineer id; None for the total)."""
    if by not in _FIELDS:
        return {}
    surveys = csat_surveys(since=period.start, until=period.end - dt.timedelta(days=1)).filter(
        content_type=ContentType.objects.get_for_model(Incident),
        object_id__in=Incident.objects.filter(filters.q()).values("pk"),
    )
    if not can_view_csat(user):
        if by != "engineer":
            return {}
        surveys = surveys.filter(engineer_id=getattr(user, "pk", None))
    field = _FIELDS[by]
    if field is None:
        values = surveys.aggregate(**FIGURES)
        return {None: _figures(values)} if values["invited"] else {}
    rows = surveys.values(field).annotate(**FIGURES).order_by(field)
    return {row[field]: _figures(row) for row in rows}
