"""Which agreements and metrics apply to a record.

Matching runs on every new ticket, so it reads little: the service's active agreements with
their metrics (two queries, then cached per process until the configuration changes, see
``core.config_cache``), the requester's department chain only when an agreement names a
department, and site-group memberships (cached) only when one names a site group. The
agreements, metrics and calendars handed out are shared: read them, never change them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.core.config_cache import cached
from steward.identity.selectors import site_group_ids
from steward.sla.models import (
    Agreement,
    AgreementKind,
    AgreementMetric,
    AgreementStatus,
    BusinessCalendar,
)


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
    return set(site_group_ids(site.pk)) & groups


def _service_agreements(service_id: int) -> tuple[tuple[Agreement, list[AgreementMetric]], ...]:
    """The service's active agreements, each with its metrics (calendars loaded), ordered as
    the clocks are: by agreement code, then metric kind."""

    def build() -> tuple[tuple[Agreement, list[AgreementMetric]], ...]:
        agreements = {
            a.pk: a
            for a in Agreement.objects.filter(service_id=service_id, status=AgreementStatus.ACTIVE)
        }
        metrics: dict[int, list[AgreementMetric]] = {pk: [] for pk in agreements}
        for metric in (
            AgreementMetric.objects.filter(agreement__in=list(agreements))
            .select_related("calendar")
            .order_by("agreement__code", "kind")
        ):
            metric.agreement = agreements[metric.agreement_id]
            metrics[metric.agreement_id].append(metric)
        ordered = sorted(agreements.values(), key=lambda a: a.code)
        return tuple((a, metrics[a.pk]) for a in ordered)

    return cached(
        ("sla.service_agreements", service_id),
        build,
        watch=(Agreement, AgreementMetric, BusinessCalendar),
    )


def agreements_for(
    *, service: Any, department: Any = None, site: Any = None, team: Any = None, on: date
) -> list[Agreement]:
    """Active agreements for the service on date ``on``: the most specific customer SLA
    (department, then site group, then one for every customer) and the OLAs of ``team``."""
    if service is None:
        return []
    valid = [
        agreement
        for agreement, _metrics in _service_agreements(service.pk)
        if agreement.valid_from <= on and (agreement.valid_to is None or agreement.valid_to >= on)
    ]
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
    """The metrics of the agreements ``agreements_for`` chooses, by agreement code and kind."""
    chosen = {a.pk for a in agreements_for(**kwargs)}
    if not chosen:
        return []
    return [
        metric
        for agreement, metrics in _service_agreements(kwargs["service"].pk)
        if agreement.pk in chosen
        for metric in metrics
    ]


def agreement_metrics(agreement: Agreement) -> list[AgreementMetric]:
    """The metrics of one of the service's active agreements (from the same cache)."""
    for candidate, metrics in _service_agreements(agreement.service_id):
        if candidate.pk == agreement.pk:
            return list(metrics)
    return []
