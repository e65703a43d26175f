from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    """Customer satisfaction (ISO/IEC 20000-1 8.3.2): surveys after resolution, complaints,
    CSAT figures. See steward/satisfaction/README.md."""

    name = "steward.satisfaction"
    label = "satisfaction"
    verbose_name = "Satisfaction"

    def ready(self) -> None:
        from steward.core import events
        from steward.fulfilment.events import RequestFulfilled
        from steward.fulfilment.models import ServiceRequest
        from steward.incidents.events import IncidentReopened, IncidentResolved
        from steward.incidents.models import Incident
        from steward.satisfaction import handlers

        # Both events are emitted inside the resolving/fulfilling transaction: the survey
        # commits (or rolls back) with it. Other record types join the same way.
        events.subscribe(IncidentResolved, handlers.invite_on(Incident, "incident_id"))
        events.subscribe(IncidentReopened, handlers.void_on(Incident, "incident_id"))
        events.subscribe(RequestFulfilled, handlers.invite_on(ServiceRequest, "request_id"))
