"""Subscribers to other apps' domain events. Subscribed in IncidentsConfig.ready()."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from steward.incidents.models import Incident
from steward.incidents.services.escalation import incident_escalate_for_sla
from steward.sla.events import SlaThresholdReached
from steward.sla.selectors import clock_get


def on_sla_threshold(event: SlaThresholdReached) -> None:
    """An incident's SLA warning or breach raises its escalation level (see the service).

    Delivered inside the firing's transaction (``emit_in_transaction``), so the escalation
    commits or rolls back with the warning or breach."""
    clock = clock_get(clock_id=event.clock_id)
    if clock.content_type_id != ContentType.objects.get_for_model(Incident).pk:
        return
    incident_escalate_for_sla(
        incident_id=clock.object_id,
        clock_id=clock.pk,
        sla_level=event.escalate_to,
        percent=event.percent,
    )
