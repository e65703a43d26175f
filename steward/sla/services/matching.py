"""Which agreements and metrics apply to a record.

Matching runs on every new ticket, so it reads little: the service's valid agreements in one
query, the requester's department chain and site-group memberships only when an agreement
names a department or a site group, and the metrics of the chosen agreements in one query.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from steward.identity.models import SiteGroup
from steward.sla.models import Agreement, AgreementKind, AgreementMetric, AgreementStatus


def _department_chain(department: Any, wanted: set[int]) -> list[int]:
    """The department and its ancestors, nearest first, up to the first one in ``wanted``."""
    ids: list[int] = []
    while department is not None:
        ids.append(department.pk)
        if department.pk in wanted:
            break
        department = department.parent
    return ids


def _site_groups_of(site: Any, groups: set[int]) -> set[int]:
    if site is None or not groups:
        return set()
    return set(
        SiteGroup.sites.through.objects.filter(site_id=site.pk, sitegroup_id__in=groups)
        .values_list("sitegroup_id", flat=True)
    )  # fmt: skip


def agreements_for(
    *, service: Any, department: Any = None, site: Any = None, team: Any = None, on: date
) -> list[Agreement]:
    """Active agreements for the service on date ``on``: the most specific customer SLA
    (department, then site group, then one for every customer) and the OLAs of ``team``."""
    valid = list(
        Agreement.objects.filter(
            service=service, status=AgreementStatus.ACTIVE, valid_from__lte=on
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )
    slas = [a for a in valid if a.kind == AgreementKind.SLA]
    by_department = {a.customer_department_id for a in slas if a.customer_department_id}
    chosen: Agreement | None = None
    if by_department:
        for dept_id in _department_chain(department, by_department):  # nearest first
            chosen = next((a for a in slas if a.customer_department_id == dept_id), None)
            if chosen:
                break
    if chosen is None:
        groups = _site_groups_of(
            site, {a.customer_site_group_id for a in slas if a.customer_site_group_id}
        )
        chosen = next((a for a in slas if a.customer_site_group_id in groups), None)
    if chosen is None:
        chosen = next(
            (
                a
                for a in slas
                if a.customer_department_id is None and a.customer_site_group_id is None
            ),
            None,
        )
    result = [chosen] if chosen else []
    if team is not None:
        result += [a for a in valid if a.kind == AgreementKind.OLA and a.team_id == team.pk]
    return result


def metrics_for(**kwargs: Any) -> list[AgreementMetric]:
    agreements = {a.pk: a for a in agreements_for(**kwargs)}
    if not agreements:
        return []
    metrics = list(
        AgreementMetric.objects.filter(agreement__in=list(agreements))
        .select_related("calendar")
        .order_by("agreement__code", "kind")
    )
    for metric in metrics:
        metric.agreement = agreements[metric.agreement_id]
    return metrics
