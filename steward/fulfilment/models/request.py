"""The service request record, its states and the transition table between them.

A service request is a user's request for something IT offers in the catalogue (a laptop, a
VPN account, access to a shared folder): ISO/IEC 20000-1 8.6.2 "service request management".
It is raised from a catalogue request item and keeps the item's version it was raised with, so
the form, approval rule and fulfilment tasks never change under it. See
docs/processes/fulfilment.md for the state diagram.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.transitions import TransitionTable
from steward.workitems.models import WorkItem, WorkItemQuerySet


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    IN_FULFILMENT = "in_fulfilment", _("Approved, in fulfilment")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class RequestChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CONSOLE = "console", _("Console")
    API = "api", _("API")


STATUS_COLOURS = {
    RequestStatus.SUBMITTED: "info",
    RequestStatus.AWAITING_APPROVAL: "warning",
    RequestStatus.IN_FULFILMENT: "primary",
    RequestStatus.FULFILLED: "success",
    RequestStatus.CLOSED: "muted",
    RequestStatus.REJECTED: "danger",
    RequestStatus.CANCELLED: "muted",
}
OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.AWAITING_APPROVAL,
    RequestStatus.IN_FULFILMENT,
)
TERMINAL_STATUSES = (RequestStatus.CLOSED, RequestStatus.REJECTED, RequestStatus.CANCELLED)

S = RequestStatus
TRANSITIONS = TransitionTable(
    {
        "request_approval": ((S.SUBMITTED,), S.AWAITING_APPROVAL),
        "approve": ((S.AWAITING_APPROVAL,), S.IN_FULFILMENT),
        "start_fulfilment": ((S.SUBMITTED,), S.IN_FULFILMENT),
        "reject": ((S.AWAITING_APPROVAL,), S.REJECTED),
        "fulfil": ((S.IN_FULFILMENT,), S.FULFILLED),
        "close": ((S.FULFILLED,), S.CLOSED),
        "cancel": ((S.SUBMITTED, S.AWAITING_APPROVAL, S.IN_FULFILMENT), S.CANCELLED),
    }
)


class ServiceRequestQuerySet(WorkItemQuerySet):
    def visible_to(self, user: Any) -> ServiceRequestQuerySet:
        """The work-item rule, plus the requests the user approves (or decides for someone
        away) and those with a fulfilment task for one of the user's teams or for the user."""
        from steward.fulfilment.visibility import request_visible_q

        return self.filter(request_visible_q(user))

    def open(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class ServiceRequest(WorkItem):
    """A request for a catalogue item, raised by (or for) a requester.

    It keeps the item version it was raised with (``item_version``) and the answers to that
    version's form. Approvals (``Approval``) and fulfilment tasks (``FulfilmentTask``) hang off
    it; its life cycle is ``TRANSITIONS`` and only ``steward.fulfilment.services`` change it.
    """

    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="service_requests",
        verbose_name=_("service"),
    )
    item = models.ForeignKey(
        "catalogue.RequestItem", on_delete=models.PROTECT, related_name="service_requests",
        verbose_name=_("request item"),
    )
    item_version = models.ForeignKey(
        "catalogue.RequestItemVersion", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("item version"),
    )
    answers = models.JSONField(_("answers"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=RequestChannel.choices, default=RequestChannel.PORTAL
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=4)
    raised_by = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("raised by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    objects = ServiceRequestQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "team"], name="request_status_team_idx"),
            models.Index(fields=["requester", "status"], name="request_requester_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="request_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.FULFILLED, S.CLOSED]) | Q(fulfilled_at__isnull=False),
                name="request_fulfilled_has_fulfilled_at",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=TERMINAL_STATUSES) & Q(closed_at__isnull=False))
                | (~Q(status__in=TERMINAL_STATUSES) & Q(closed_at__isnull=True)),
                name="request_closed_at_iff_terminal",
            ),
        ]

    def allowed_actions(self) -> list[str]:
        return TRANSITIONS.allowed(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(RequestStatus(self.status), "muted")

    def get_absolute_url(self) -> str:
        return f"/portal/tickets/{self.number}/"


class RequestNumberSequence(models.Model):
    """The last number handed out per prefix (REQ) on SQLite, locked while allocating;
    PostgreSQL uses the sequence ``fulfilment_number_req`` (``core.numbers``)."""

    prefix = models.CharField(max_length=8, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last_value}"
