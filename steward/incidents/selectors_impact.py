"""The impact hint of an incident: what the failure of its configuration item takes down.

A summary of ``cmdb.impact.impact_for`` for the console incident page and
``GET /api/v1/incidents/{number}/impact``: the impacted services (the first few by name), and
how many sites, departments and people are affected. Only for users who may read the CMDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from steward.cmdb.impact import impact_for
from steward.cmdb.permissions import can_view_cmdb
from steward.core.errors import NotFound, NotPermitted
from steward.incidents.models import Incident

FIRST_SERVICES = 5
"""Services named in the hint; the rest are counted."""


@dataclass(frozen=True)
class ImpactHint:
    ci_id: str
    ci_name: str
    services: int
    service_names: list[str]
    sites: int
    departments: int
    people: int
    impacted_cis: int
    everyone: bool


def incident_impact_hint(*, user: Any, incident: Incident) -> ImpactHint | None:
    """The hint for an incident ``user`` found through ``incident_get_for``; None without a
    CI or when ``user`` may not read the CMDB (the page then shows no panel)."""
    if incident.ci_id is None or not can_view_cmdb(user):
        return None
    return _summary(user, incident)


def incident_impact_for(*, user: Any, incident: Incident) -> ImpactHint:
    """As ``incident_impact_hint`` for the API: ``NotPermitted`` without CMDB access,
    ``NotFound`` without a configuration item."""
    if not can_view_cmdb(user):
        raise NotPermitted(_("You may not read the CMDB."))
    if incident.ci_id is None:
        raise NotFound(
            _("%(number)s names no configuration item.") % {"number": incident.number}
        )
    return _summary(user, incident)


def _summary(user: Any, incident: Incident) -> ImpactHint:
    ci = incident.ci
    assert ci is not None
    result = impact_for(user=user, ci_ids=[ci.ci_id], limit=0, upstream_limit=0)
    names = sorted(str(item.service) for item in result.services)
    return ImpactHint(
        ci_id=ci.ci_id,
        ci_name=ci.name,
        services=len(result.services),
        service_names=names[:FIRST_SERVICES],
        sites=len(result.sites),
        departments=len(result.departments),
        people=result.people,
        impacted_cis=result.impacted_count,
        everyone=result.everyone,
    )
