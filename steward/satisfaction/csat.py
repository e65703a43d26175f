"""CSAT figures: per team, engineer, service, month or overall, over the surveys invited in a
period (void surveys excluded: a reopened record counts once, by its latest resolution).

A selector for the console page, the API and a reports app. Figures per group:
average rating, % satisfied (4–5), ratings, invitations, response rate (rated / invited),
complaints opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.errors import NotPermitted, ValidationFailed
from steward.satisfaction import permissions
from steward.satisfaction.models import SATISFIED_FROM, Survey, SurveyStatus

DIMENSIONS = {
    "overall": gettext_lazy("Overall"),
    "team": gettext_lazy("Team"),
    "engineer": gettext_lazy("Engineer"),
    "service": gettext_lazy("Service"),
    "month": gettext_lazy("Month"),
}
@dataclass(frozen=True)
class CsatRow:
    key: str  # team code, engineer username, service code, YYYY-MM, or "" (overall / none)
    label: str
    invited: int
    rated: int
    satisfied: int
    complaints: int  # opened by ratings of 1 or 2
    average: Decimal | None  # 2 places
    satisfied_pct: Decimal | None  # 1 place, of the ratings
    response_pct: Decimal | None  # 1 place, rated / invited


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def csat_row(key: str, label: str, values: dict[str, Any]) -> CsatRow:
    """One row from the aggregated ``FIGURES`` (also used by the reports' CSAT columns)."""
    avg = values["average"]
    return CsatRow(
        key=key, label=label, invited=values["invited"], rated=values["rated"],
        satisfied=values["satisfied"], complaints=values["complaints"],
        average=None if avg is None else Decimal(str(avg)).quantize(Decimal("0.01"),
                                                                   ROUND_HALF_UP),
        satisfied_pct=_pct(values["satisfied"], values["rated"]),
        response_pct=_pct(values["rated"], values["invited"]),
    )


def csat_surveys(*, since: dt.date | None = None, until: dt.date | None = None
                 ) -> QuerySet[Survey]:
    """The surveys a period's figures count: invited on ``since``..``until`` (local dates,
    inclusive), not void."""
    found = Survey.objects.exclude(status=SurveyStatus.VOID)
    zone = timezone.get_current_timezone()
    if since is not None:
        found = found.filter(invited_at__gte=dt.datetime.combine(since, dt.time(), zone))
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
        found = found.filter(invited_at__lt=end)
    return found


FIGURES = {
    "invited": Count("pk"),
    "rated": Count("pk", filter=Q(status=SurveyStatus.RATED)),
    "satisfied": Count("pk", filter=Q(status=SurveyStatus.RATED, rating__gte=SATISFIED_FROM)),
    "average": Avg("rating", filter=Q(status=SurveyStatus.RATED)),
    "complaints": Count("complaint"),
}


def _grouped(surveys: QuerySet[Survey], by: str) -> list[CsatRow]:
    if by == "overall":
        return [csat_row("", str(_("All")), surveys.aggregate(**FIGURES))]
    if by == "month":
        month = TruncMonth("invited_at", tzinfo=timezone.get_current_timezone())
        rows = surveys.annotate(month=month).values("month").annotate(**FIGURES).order_by("month")
        return [csat_row(r["month"].strftime("%Y-%m"), r["month"].strftime("%Y-%m"), dict(r))
                for r in rows]
    rows = surveys.values(f"{by}_id").annotate(**FIGURES).order_by(f"{by}_id")
    labels = _labels(by, [r[f"{by}_id"] for r in rows if r[f"{by}_id"] is not None])
    result = [
        csat_row(*labels.get(r[f"{by}_id"], ("", str(_("(none)")))), r) for r in rows
    ]
    return sorted(result, key=lambda row: (row.key == "", row.key))


def _labels(by: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    model = Survey._meta.get_field(by).related_model
    assert model is not None
    found: list[Any] = list(model._default_manager.filter(pk__in=ids))
    if by == "engineer":
        return {p.pk: (p.username, p.display_name()) for p in found}
    return {o.pk: (o.code, o.display_name()) for o in found}


def csat_table(*, user: Any, by: str = "team", since: dt.date | None = None,
               until: dt.date | None = None) -> list[CsatRow]:
    """CSAT rows grouped ``by`` one of ``DIMENSIONS``, for team leads, service owners,
    auditors and administrators. Errors: ``NotPermitted``, ``ValidationFailed`` (by)."""
    if not permissions.can_view_csat(user):
        raise NotPermitted(_("Satisfaction figures are for team leads, service owners, "
                             "auditors and administrators."))
    if by not in DIMENSIONS:
        raise ValidationFailed(_("Unknown grouping."), field="by")
    if since is not None and until is not None and since > until:
        raise ValidationFailed(_("The period ends before it starts."), field="until")
    return _grouped(csat_surveys(since=since, until=until), by)
