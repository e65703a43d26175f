from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from steward.core import events, outbox
        from steward.identity.events import AccountLocked
        from steward.incidents.events import IncidentCreated, IncidentReplied, IncidentResolved
        from steward.incidents.events_major import MajorUpdateOverdue, MajorUpdateWritten
        from steward.notifications import handlers, handlers_incidents, handlers_major
        from steward.notifications.models import Delivery
        from steward.notifications.queue import enqueue_delivery
        from steward.sla.events import SlaThresholdReached

        # The periodic sweep re-enqueues deliveries that are due again (back-off over) or
        # whose job was lost or whose worker died.
        outbox.register(Delivery, enqueue_delivery)
        events.subscribe(AccountLocked, handlers.on_account_locked)
        events.subscribe(SlaThresholdReached, handlers.on_sla_threshold)
        events.subscribe(IncidentCreated, handlers_incidents.on_incident_created)
        events.subscribe(IncidentReplied, handlers_incidents.on_incident_replied)
        events.subscribe(IncidentResolved, handlers_incidents.on_incident_resolved)
        events.subscribe(MajorUpdateWritten, handlers_major.on_major_update_written)
        events.subscribe(MajorUpdateOverdue, handlers_major.on_major_update_overdue)
