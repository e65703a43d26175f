"""What the service levels promise a person: read-only selectors for the portal and intake.

The promise for reporting a problem on a service is the first-response and resolution targets
of the customer SLA that applies to the person: their department (or a parent), else their
site's group, else the SLA for everyone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from steward.core.config_cache import config_snapshot
from steward.sla.models import Agreement, AgreementKind, MetricKind
from steward.sla.services.matching import agreement_metrics, agreements_for


@dataclass(frozen=True)
class PriorityTargets:
    priority: int
    first_response: int | None  # business minutes
    resolution: int | None


@dataclass(frozen=True)
class IncidentPromise:
    """What the applicable SLA promises when the person reports a problem on a service."""

    agreement: Agreement
    rows: list[PriorityTargets]

    def _range(self, name: str) -> tuple[int, int] | None:
        values = [getattr(r, name) for r in self.rows if getattr(r, name) is not None]
        return (min(values), max(values)) if values else None

    @property
    def first_response(self) -> tuple[int, int] | None:
        return self._range("first_response")

    @property
    def resolution(self) -> tuple[int, int] | None:
        return self._range("resolution")


def customer_agreement_for(*, person: Any, service: Any, on: dt.date) -> Agreement | None:
    """The customer SLA that applies to ``person`` for ``service`` on ``on`` (read-only)."""
    found = agreements_for(
        service=service,
        department=getattr(person, "department", None),
        site=getattr(person, "site", None),
        on=on,
    )
    return next((a for a in found if a.kind == AgreementKind.SLA), None)


def incident_promises_for(*, person: Any, services: list[Any]) -> dict[int, IncidentPromise]:
    """Service id → the incident targets promised to ``person`` (services without an SLA are
    left out). The agreements and metrics come from the configuration cache."""
    today = timezone.localdate()
    with config_snapshot():  # one stamp read for all the services
        chosen = {
            s.pk: sla
            for s in services
            if (sla := customer_agreement_for(person=person, service=s, on=today)) is not None
        }
        metrics_of = {pk: agreement_metrics(sla) for pk, sla in chosen.items()}
    promises = {}
    for service_id, sla in chosen.items():
        metrics = {m.kind: m for m in metrics_of[service_id]}
        response = metrics.get(MetricKind.FIRST_RESPONSE)
        resolution = metrics.get(MetricKind.RESOLUTION)
        if response is None and resolution is None:
            continue
        priorities = sorted(
            {int(p) for m in (response, resolution) if m is not None for p in m.targets}
        )
        promises[service_id] = IncidentPromise(
            sla,
            [
                PriorityTargets(
                    p,
                    response.target_minutes(p) if response else None,
                    resolution.target_minutes(p) if resolution else None,
                )
                for p in priorities
            ],
        )
    return promises
