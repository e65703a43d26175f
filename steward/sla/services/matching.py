"""Which agreements and metrics apply to a record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from steward.sla.models import Agreement, AgreementKind, AgreementMetric, AgreementStatus


def _department_chain(department: Any) -> list[int]:
    ids = []
    while department is not None:
        ids.append(department.pk)
        department = department.parent
    return ids


def agreements_for(
    *, service: Any, department: Any = None, site: Any = None, team: Any = None, on: date
) -> list[Agreement]:
    """Active agreements for the service on date ``on``: the most specific customer SLA
    (department, then site group, then one for every customer) and the OLAs of ``team``."""
    valid = Agreement.objects.filter(
        service=service, status=AgreementStatus.ACTIVE, valid_from__lte=on
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    chain = _department_chain(department)
    slas = list(valid.filter(kind=AgreementKind.SLA).select_related("customer_department"))
    chosen: Agreement | None = None
    for dept_id in chain:  # nearest department first
        chosen = next((a for a in slas if a.customer_department_id == dept_id), None)
        if chosen:
            break
    if chosen is None and site is not None:
        chosen = next(
            (
                a
                for a in slas
                if a.customer_site_group is not None
                and a.customer_site_group.sites.filter(pk=site.pk).exists()
            ),
            None,
        )
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
        result += list(valid.filter(kind=AgreementKind.OLA, team=team))
    return result


def metrics_for(**kwargs: Any) -> list[AgreementMetric]:
    agreements = agreements_for(**kwargs)
    return list(
        AgreementMetric.objects.filter(agreement__in=agreements)
        .select_related("agreement", "calendar")
        .order_by("agreement__code", "kind")
    )
