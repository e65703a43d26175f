from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from steward.cmdb.services.assets import LicenceEnding, WarrantyEnding
        from steward.core import events, outbox
        from steward.fulfilment import events as requests
        from steward.identity.events import AccountLocked
        from steward.incidents.events import IncidentCreated, IncidentReplied, IncidentResolved
        from steward.incidents.events_major import (
            MajorIncidentDeclared,
            MajorOwnerChanged,
            MajorReviewCompleted,
            MajorUpdateOverdue,
            MajorUpdateWritten,
        )
        from steward.incidents.events_routing import IncidentEscalated
        from steward.notifications import (
            handlers,
            handlers_cmdb,
            handlers_escalation,
            handlers_incidents,
            handlers_major,
            handlers_requests,
            handlers_satisfaction,
        )
        from steward.notifications.models import Delivery
        from steward.notifications.queue import enqueue_delivery
        from steward.satisfaction.events import (
            ComplaintAssigned,
            ComplaintOpened,
            ComplaintResolved,
            SurveyInvited,
        )
        from steward.sla.events import SlaThresholdReached

        # The periodic sweep re-enqueues deliveries that are due again (back-off over) or
        # whose job was lost or whose worker died.
        outbox.register(Delivery, enqueue_delivery)
        events.subscribe(AccountLocked, handlers.on_account_locked)
        events.subscribe(SlaThresholdReached, handlers.on_sla_threshold)
        events.subscribe(IncidentCreated, handlers_incidents.on_incident_created)
        events.subscribe(IncidentReplied, handlers_incidents.on_incident_replied)
        events.subscribe(IncidentResolved, handlers_incidents.on_incident_resolved)
        events.subscribe(SurveyInvited, handlers_satisfaction.on_survey_invited)
        events.subscribe(ComplaintOpened, handlers_satisfaction.on_complaint_for_owner)
        events.subscribe(ComplaintAssigned, handlers_satisfaction.on_complaint_for_owner)
        events.subscribe(ComplaintResolved, handlers_satisfaction.on_complaint_resolved)
        events.subscribe(WarrantyEnding, handlers_cmdb.on_warranty_ending)
        events.subscribe(LicenceEnding, handlers_cmdb.on_licence_ending)
        events.subscribe(requests.RequestSubmitted, handlers_requests.on_request_submitted)
        events.subscribe(requests.ApprovalRequested, handlers_requests.on_approval_requested)
        events.subscribe(requests.ApprovalReminded, handlers_requests.on_approval_reminded)
        events.subscribe(requests.RequestRejected, handlers_requests.on_request_rejected)
        events.subscribe(requests.FulfilmentTaskOpened, handlers_requests.on_task_opened)
        events.subscribe(requests.FulfilmentTaskAssigned, handlers_requests.on_task_assigned)
        events.subscribe(requests.RequestFulfilled, handlers_requests.on_request_fulfilled)
        events.subscribe(requests.RequestCommented, handlers_requests.on_request_commented)
        events.subscribe(IncidentEscalated, handlers_escalation.on_incident_escalated)
        events.subscribe(MajorUpdateWritten, handlers_major.on_major_update_written)
        events.subscribe(MajorUpdateOverdue, handlers_major.on_major_update_overdue)
        events.subscribe(MajorIncidentDeclared, handlers_major.on_major_declared)
        events.subscribe(MajorOwnerChanged, handlers_major.on_major_owner_changed)
        events.subscribe(MajorReviewCompleted, handlers_major.on_major_review_completed)
        events.subscribe(MajorReviewCompleted, handlers_major.on_major_review_actions)
