from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    """Service request management (ISO/IEC 20000-1 8.6.2): requests raised from the catalogue,
    their approvals and fulfilment tasks."""

    name = "steward.fulfilment"
    label = "fulfilment"
    verbose_name = "Fulfilment"

    def ready(self) -> None:
        from steward.core import outbox
        from steward.fulfilment.models import ApprovalReminder, ServiceRequest
        from steward.fulfilment.tasks import enqueue_reminder
        from steward.workitems.registry import RecordType, register

        outbox.register(ApprovalReminder, enqueue_reminder)
        register(
            RecordType(
                model=ServiceRequest,
                prefix="REQ",
                label=_("Service request"),
                export_fields=(
                    "number",
                    "title",
                    "status",
                    "item__code",
                    "service__code",
                    "requester__username",
                    "raised_by__username",
                    "team__code",
                    "channel",
                    "opened_at",
                    "approved_at",
                    "fulfilled_at",
                    "closed_at",
                ),
            )
        )
