"""The satisfaction app's figures in the reports (wired as ``csat.PROVIDER`` by ReportsConfig).

Counts the surveys of the report's incidents (its filters applied to the incidents) invited in
the period, void surveys excluded, grouped by the team and engineer the survey recorded at
resolution. Team leads, service owners, auditors and administrators see every group; anyone
else sees only their own engineer row (their scorecard). Groups without any survey get no
figures (shown as "no ratings"), never zeros.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Q

from steward.incidents.models import Incident
from steward.reports.figures import CsatFigures
from steward.reports.query import Filters, Period
from steward.satisfaction.models import SATISFIED_FROM, Survey, SurveyStatus
from steward.satisfaction.permissions import can_view_csat

_FIELDS = {"total": None, "team": "team_id", "engineer": "engineer_id"}


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _figures(values: dict[str, Any]) -> CsatFigures:
    average = values["average"]
    return CsatFigures(
        average=None if average is None
        else Decimal(str(average)).quantize(Decimal("0.01"), ROUND_HALF_UP),
        satisfied_pct=_pct(values["satisfied"], values["rated"]),
        ratings=values["rated"],
        response_rate=_pct(values["rated"], values["invited"]),
    )


def satisfaction_figures(
    *, user: Any, period: Period, filters: Filters, by: str
) -> dict[Any, CsatFigures]:
    """CSAT per group key (team id, engineer id; None for the total)."""
    if by not in _FIELDS:
        return {}
    surveys = Survey.objects.exclude(status=SurveyStatus.VOID).filter(
        content_type=ContentType.objects.get_for_model(Incident),
        object_id__in=Incident.objects.filter(filters.q()).values("pk"),
        invited_at__gte=period.since,
        invited_at__lt=period.until,
    )
    if not can_view_csat(user):
        if by != "engineer":
            return {}
        surveys = surveys.filter(engineer_id=getattr(user, "pk", None))
    rated = Q(status=SurveyStatus.RATED)
    figures = {
        "invited": Count("pk"),
        "rated": Count("pk", filter=rated),
        "satisfied": Count("pk", filter=rated & Q(rating__gte=SATISFIED_FROM)),
        "average": Avg("rating", filter=rated),
    }
    field = _FIELDS[by]
    if field is None:
        values = surveys.aggregate(**figures)
        return {None: _figures(values)} if values["invited"] else {}
    rows = surveys.values(field).annotate(**figures).order_by(field)
    return {row[field]: _figures(row) for row in rows}
