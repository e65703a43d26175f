"""Incident measures for a period, grouped (read-only). Counts and rates are aggregated by
the database; each duration comes back as one narrow column (group key + timestamps or clock
seconds) so that mean and p90 are computed the same way on SQLite and PostgreSQL.
See ``definitions.DEFINITIONS`` for what each figure means."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import NotFound, NotPermitted
from steward.identity.models import Person, Role
from steward.incidents.models import OPEN_STATUSES, Incident, IncidentStatus
from steward.reports import csat, permissions
from steward.reports.definitions import AGE_BUCKETS
from steward.reports.figures import MeasureRow, Stats, TrendPoint, seconds_between
from steward.reports.labels import label_map
from steward.reports.query import (
    Filters,
    Period,
    acknowledgements,
    business_seconds,
    column,
    first_contact_q,
    group_field,
    grouped,
    incidents,
    requester_followed_up,
)
from steward.sla.models import AgreementKind, ClockState, MetricKind
from steward.sla.reporting import ComplianceRow, clocks_visible_to


def _rows() -> dict[Any, MeasureRow]:
    return defaultdict(lambda: MeasureRow(key=None))


def _volumes(rows: dict[Any, MeasureRow], base: Any, period: Period, by: str) -> None:
    for key, agg in grouped(base.filter(period.q("opened_at")), by, n=Count("pk")).items():
        rows[key].opened = agg["n"]
    closed = base.filter(period.q("closed_at"), status=IncidentStatus.CLOSED)
    for key, agg in grouped(closed, by, n=Count("pk")).items():
        rows[key].closed = agg["n"]
    resolved = base.filter(period.q("resolved_at")).annotate(followed_up=requester_followed_up())
    for key, agg in grouped(
        resolved,
        by,
        n=Count("pk"),
        first_contact=Count("pk", filter=first_contact_q()),
        reopened=Count("pk", filter=Q(reopen_count__gt=0)),
        reassigned=Count("pk", filter=Q(reassignment_count__gt=0)),
        hops=Sum("reassignment_count"),
    ).items():
        row = rows[key]
        row.resolved = agg["n"]
        row.first_contact = agg["first_contact"]
        row.reopened = agg["reopened"]
        row.reassigned = agg["reassigned"]
        row.reassignments = agg["hops"] or 0


def _backlog(rows: dict[Any, MeasureRow], base: Any, by: str, now: dt.datetime) -> None:
    buckets = {}
    for key, _label, low, high in AGE_BUCKETS:
        q = Q()
        if low is not None:
            q &= Q(opened_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            q &= Q(opened_at__gt=now - dt.timedelta(days=high))
        buckets[key] = Count("pk", filter=q)
    open_now = base.filter(status__in=OPEN_STATUSES)
    for key, agg in grouped(
        open_now,
        by,
        n=Count("pk"),
        on_hold=Count("pk", filter=Q(status=IncidentStatus.ON_HOLD)),
        oldest=Min("opened_at"),
        **buckets,
    ).items():
        row = rows[key]
        row.backlog = agg["n"]
        row.on_hold = agg["on_hold"]
        row.oldest_opened_at = agg["oldest"]
        row.ages = {k: agg[k] for k in buckets}


def _open_at_end(
    rows: dict[Any, MeasureRow], base: Any, period: Period, by: str, now: dt.datetime
) -> None:
    """Open when the period ended (now, if it has not): opened before that instant, and its
    latest resolution and its closing (or cancelling) not before it."""
    end = min(period.until, now)
    still_open = base.filter(opened_at__lt=end).exclude(resolved_at__lt=end).exclude(
        closed_at__lt=end
    )
    for key, agg in grouped(still_open, by, n=Count("pk")).items():
        rows[key].open_at_end = agg["n"]


def _durations(rows: dict[Any, MeasureRow], base: Any, period: Period, by: str) -> None:
    raised = base.filter(period.q("opened_at"))
    acked_at = acknowledgements(raised, period.since)
    responded_b = business_seconds(raised, MetricKind.FIRST_RESPONSE)
    frt_w: dict[Any, list[float]] = defaultdict(list)
    frt_b: dict[Any, list[float]] = defaultdict(list)
    ack: dict[Any, list[float]] = defaultdict(list)
    for key, pk, opened, responded in column(
        raised, by, "pk", "opened_at", "first_responded_at"
    ):
        for target, seconds in (
            (frt_w, seconds_between(opened, responded)),
            (ack, seconds_between(opened, acked_at.get(pk))),
            (frt_b, responded_b.get(pk)),
        ):
            if seconds is not None:
                target[key].append(seconds)
    resolved = base.filter(period.q("resolved_at"))
    resolved_b = business_seconds(resolved, MetricKind.RESOLUTION)
    res_w: dict[Any, list[float]] = defaultdict(list)
    res_b: dict[Any, list[float]] = defaultdict(list)
    for key, pk, opened, done in column(resolved, by, "pk", "opened_at", "resolved_at"):
        res_w[key].append(seconds_between(opened, done) or 0.0)
        business = resolved_b.get(pk)
        if business is not None:
            res_b[key].append(business)
    for name, values_by_key in (
        ("frt_wall", frt_w),
        ("frt_business", frt_b),
        ("mtta", ack),
        ("mttr_wall", res_w),
        ("mttr_business", res_b),
    ):
        for key, values in values_by_key.items():
            setattr(rows[key], name, Stats.of(values))


def _compliance(rows: dict[Any, MeasureRow], user: Any, base: Any, period: Period, by: str
                ) -> None:
    clocks = clocks_visible_to(user).filter(
        period.q("stopped_at"),
        content_type=ContentType.objects.get_for_model(Incident),
        object_id__in=base.values("pk"),
        state__in=[ClockState.MET, ClockState.BREACHED],
        excluded=False,
        agreement__kind=AgreementKind.SLA,
    )
    field = group_field(by)
    if field is not None:
        clocks = clocks.annotate(
            key=Subquery(Incident.objects.filter(pk=OuterRef("object_id")).order_by().values(field))
        )
    values = ["kind"] if field is None else ["key", "kind"]
    counted = clocks.order_by().values(*values).annotate(
        met=Count("pk", filter=Q(state=ClockState.MET)),
        breached=Count("pk", filter=Q(state=ClockState.BREACHED)),
    )
    for agg in counted:
        target = ComplianceRow({"metric": agg["kind"]}, agg["met"], agg["breached"])
        row = rows[agg.get("key")]
        if agg["kind"] == MetricKind.FIRST_RESPONSE:
            row.sla_response = target
        elif agg["kind"] == MetricKind.RESOLUTION:
            row.sla_resolution = target


def measures(
    *, user: Any, period: Period, filters: Filters | None = None, by: str = "total",
    now: dt.datetime | None = None,
) -> list[MeasureRow]:
    """Every measure per group (``by``: total, team, engineer, department, site, service,
    priority, channel) for ``period``. Grouped by engineer, only the engineers whose
    scorecards ``user`` may see are returned; people without a console role get nothing."""
    if not permissions.can_view_reports(user):
        return []
    filters = filters or Filters()
    base = incidents(filters)
    rows = _rows()
    now = now or timezone.now()
    _volumes(rows, base, period, by)
    _backlog(rows, base, by, now)
    _open_at_end(rows, base, period, by, now)
    _durations(rows, base, period, by)
    _compliance(rows, user, base, period, by)
    if by == "total":
        rows[None]  # noqa: B018 - the total row exists even when nothing happened
    if by == "engineer":
        visible = permissions.visible_engineer_ids(user)
        if visible is not None:
            rows = {k: r for k, r in rows.items() if k in visible}
    result = _labelled(rows, by)
    csat.fill(result, user=user, period=period, filters=filters, by=by)
    return result


def _labelled(rows: dict[Any, MeasureRow], by: str) -> list[MeasureRow]:
    labels = label_map(by, rows)
    result = []
    for key, row in rows.items():
        row.key = key
        row.label = labels.get(key, str(key))
        result.append(row)
    if by == "priority":
        result.sort(key=lambda r: (r.key is None, r.key or 0))
    else:
        result.sort(key=lambda r: (r.key is None and by != "total", r.label))
    return result


def volumes(
    *, user: Any, period: Period, filters: Filters | None = None, by: str = "channel",
    now: dt.datetime | None = None,
) -> list[MeasureRow]:
    """Only the volumes (opened, resolved, closed, open now) per group: the light breakdown
    by channel and priority shown beside the desk's figures."""
    if not permissions.can_view_reports(user):
        return []
    base = incidents(filters or Filters())
    rows = _rows()
    now = now or timezone.now()
    _volumes(rows, base, period, by)
    _backlog(rows, base, by, now)
    _open_at_end(rows, base, period, by, now)
    return _labelled(rows, by)


def trend(*, user: Any, period: Period, filters: Filters | None = None) -> list[TrendPoint]:
    """Per month of the period: opened, resolved, backlog change, MTTR (wall)."""
    if not permissions.can_view_reports(user):
        return []
    base = incidents(filters or Filters())
    zone = timezone.get_current_timezone()
    opened = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in base.filter(period.q("opened_at"))
        .annotate(month=TruncMonth("opened_at", tzinfo=zone))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
    }
    durations: dict[str, list[float]] = defaultdict(list)
    for month, start, done in (
        base.filter(period.q("resolved_at"))
        .annotate(month=TruncMonth("resolved_at", tzinfo=zone))
        .order_by()
        .values_list("month", "opened_at", "resolved_at")
    ):
        durations[month.strftime("%Y-%m")].append(seconds_between(start, done) or 0.0)
    return [
        TrendPoint(m, opened.get(m, 0), len(durations.get(m, [])), Stats.of(durations.get(m, [])))
        for m in months_of(period)
    ]


def months_of(period: Period) -> list[str]:
    months, day = [], period.start.replace(day=1)
    while day < period.end:
        months.append(day.strftime("%Y-%m"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class Scorecard:
    person: Person
    row: MeasureRow
    trend: list[TrendPoint]


def scorecard(
    *, user: Any, person: Person, period: Period, filters: Filters | None = None,
    now: dt.datetime | None = None,
) -> Scorecard:
    """One engineer's figures and monthly trend (incidents currently assigned to them).
    Errors: ``NotPermitted`` unless it is the user's own, a member of a team they lead, or
    they are a manager."""
    if not permissions.can_view_reports(user) or not permissions.can_view_scorecard(user, person):
        raise NotPermitted(_("You may not see this engineer's scorecard."))
    base = filters or Filters()
    mine = Filters(**{**base.__dict__, "engineer": person.pk})
    rows = measures(user=user, period=period, filters=mine, by="total", now=now)
    return Scorecard(person, rows[0], trend(user=user, period=period, filters=mine))


def require_reports(user: Any) -> None:
    """Errors: ``NotPermitted`` for people without a console role."""
    if not permissions.can_view_reports(user):
        raise NotPermitted(_("Reports are for the IT staff."))


def engineer_get(*, user: Any, username: str) -> Person:
    """The person whose scorecard is asked for. Errors: ``NotFound``, ``NotPermitted``."""
    require_reports(user)
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise NotFound(_("No such person."))
    if not permissions.can_view_scorecard(user, person):
        raise NotPermitted(_("You may not see this engineer's scorecard."))
    return person


def engineers_for(*, user: Any) -> list[Person]:
    """The engineers whose scorecards ``user`` may open: agents and team leads, or fewer."""
    visible = permissions.visible_engineer_ids(user)
    people = Person.objects.filter(
        is_active=True, role_grants__role__in=[Role.AGENT, Role.TEAM_LEAD]
    ).distinct()
    if visible is not None:
        people = people.filter(pk__in=visible)
    return sorted(people, key=lambda p: p.display_name())


def usernames(*, keys: list[Any]) -> dict[Any, str]:
    """Person id → username, for links from engineer rows to their scorecards."""
    ids = [k for k in keys if k is not None]
    return dict(Person.objects.filter(pk__in=ids).values_list("pk", "username"))
