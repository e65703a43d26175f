from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from steward.core import events, outbox
        from steward.fulfilment import events as requests
        from steward.identity.events import AccountLocked
        from steward.incidents.events import IncidentCreated, IncidentReplied, IncidentResolved
        from steward.notifications import handlers, handlers_incidents, handlers_requests
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
        events.subscribe(requests.RequestSubmitted, handlers_requests.on_request_submitted)
        events.subscribe(requests.ApprovalRequested, handlers_requests.on_approval_requested)
        events.subscribe(requests.ApprovalReminded, handlers_requests.on_approval_reminded)
        events.subscribe(requests.RequestRejected, handlers_requests.on_request_rejected)
        events.subscribe(requests.FulfilmentTaskOpened, handlers_requests.on_task_opened)
        events.subscribe(requests.FulfilmentTaskAssigned, handlers_requests.on_task_assigned)
        events.subscribe(requests.RequestFulfilled, handlers_requests.on_request_fulfilled)
        events.subscribe(requests.RequestCommented, handlers_requests.on_request_commented)
