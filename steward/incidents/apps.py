from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incident management (ISO/IEC 20000-1 8.6.1): restore normal service as fast as possible."""

    name = "steward.incidents"
    label = "incidents"
    verbose_name = "Incidents"

    def ready(self) -> None:
        from steward.core import events, outbox
        from steward.incidents import handlers
        from steward.incidents.models import Incident, IncidentTriage
        from steward.incidents.tasks import enqueue_triage
        from steward.sla.events import SlaThresholdReached

        # An SLA warning or breach that reaches a manager raises the incident's escalation
        # level, in the transaction that fires it.
        events.subscribe(SlaThresholdReached, handlers.on_sla_threshold)

        # New incidents' triage rows whose job was lost are enqueued again by the sweep.
        outbox.register(IncidentTriage, enqueue_triage)
        from steward.workitems.registry import RecordType, register

        # Search, CSV export, attachments, the generic timeline and record look-up by number
        # then work on incidents through the one visibility rule.
        register(
            RecordType(
                model=Incident,
                prefix="INC",
                label=_("Incident"),
                export_fields=(
                    "number",
                    "title",
                    "status",
                    "priority",
                    "impact",
                    "urgency",
                    "service__code",
                    "requester__username",
                    "assignee__username",
                    "team__code",
                    "channel",
                    "opened_at",
                    "first_responded_at",
                    "resolved_at",
                    "closed_at",
                    "resolution_code",
                    "reopen_count",
                    "reassignment_count",
                ),
            )
        )
