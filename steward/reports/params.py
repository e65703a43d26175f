"""Report input shared by the API and the console form: the period, the grouping and the
filters named by code (service, team, department, site), username (engineer), priority 1–5
or channel. Bad input is a field error (``ValidationFailed``) and nothing is computed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from steward.catalogue.models import Service
from steward.core.errors import ValidationFailed
from steward.core.refs import lookup
from steward.identity.models import Department, Person, Site, Team
from steward.incidents.models import IncidentChannel, Priority
from steward.reports.query import GROUPINGS, Filters, Period

MAX_DAYS = 3 * 366


def period_of(start: dt.date | None, end: dt.date | None) -> Period:
    """[start, end); defaults: from the first of this month to the end of today."""
    today = timezone.localdate()
    end = end or today + dt.timedelta(days=1)
    start = start or (end - dt.timedelta(days=1)).replace(day=1)
    if start >= end:
        raise ValidationFailed(_("The start must be before the end."), field="start")
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(_("A report covers at most three years."), field="start")
    return Period(start, end)


def grouping_of(by: str) -> str:
    if by not in GROUPINGS:
        raise ValidationFailed(
            _("Group by one of: %(choices)s.") % {"choices": ", ".join(GROUPINGS)}, field="by"
        )
    return by


def _pk(model: type, value: str | None, field: str, by: str = "code") -> int | None:
    if not value:
        return None
    return int(lookup(model, value, field=field, by=by).pk)


def filters_of(
    *, service: str | None = None, team: str | None = None, department: str | None = None,
    site: str | None = None, engineer: str | None = None, priority: int | None = None,
    channel: str | None = None,
) -> Filters:
    if priority is not None and priority not in Priority.values:
        raise ValidationFailed(_("The priority is 1 to 5."), field="priority")
    if channel and channel not in IncidentChannel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    return Filters(
        service=_pk(Service, service, "service"),
        team=_pk(Team, team, "team"),
        department=_pk(Department, department, "department"),
        site=_pk(Site, site, "site"),
        engineer=_pk(Person, engineer, "engineer", by="username"),
        priority=priority,
        channel=channel or "",
    )
