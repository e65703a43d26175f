"""The incident record, its states and the transition table between them.

An incident is an unplanned interruption or reduction in quality of a service (ISO/IEC
20000-1 8.6.1; ITIL 4 "incident management"): the service desk's job is to restore normal
service as fast as possible, in priority order. See docs/processes/incidents.md for the state
diagram; the table below is the one the services check against.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.transitions import TransitionTable
from steward.sla.models import ClockState, MetricKind, SlaClock
from steward.workitems.models import WorkItem, WorkItemQuerySet


class IncidentStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Badge colours of the UI (NetBox's ChoiceSet idea): the labels are the enum's.
STATUS_COLOURS = {
    IncidentStatus.NEW: "info",
    IncidentStatus.ASSIGNED: "info",
    IncidentStatus.IN_PROGRESS: "primary",
    IncidentStatus.ON_HOLD: "warning",
    IncidentStatus.RESOLVED: "success",
    IncidentStatus.CLOSED: "muted",
    IncidentStatus.CANCELLED: "muted",
}
OPEN_STATUSES = (
    IncidentStatus.NEW,
    IncidentStatus.ASSIGNED,
    IncidentStatus.IN_PROGRESS,
    IncidentStatus.ON_HOLD,
)
TERMINAL_STATUSES = (IncidentStatus.CLOSED, IncidentStatus.CANCELLED)


class HoldReason(models.TextChoices):
    AWAITING_REQUESTER = "awaiting_requester", _("Awaiting the requester")
    AWAITING_VENDOR = "awaiting_vendor", _("Awaiting a vendor")
    AWAITING_CHANGE = "awaiting_change", _("Awaiting a change")
    AWAITING_PROBLEM = "awaiting_problem", _("Awaiting a problem fix")


class IncidentChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CONSOLE = "console", _("Console")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    PHONE = "phone", _("Phone")
    API = "api", _("API")
    MONITORING = "monitoring", _("Monitoring")


class Impact(models.IntegerChoices):
    HIGH = 1, _("1 – high")
    MEDIUM = 2, _("2 – medium")
    LOW = 3, _("3 – low")


class Urgency(models.IntegerChoices):
    HIGH = 1, _("1 – high")
    MEDIUM = 2, _("2 – medium")
    LOW = 3, _("3 – low")


class Priority(models.IntegerChoices):
    CRITICAL = 1, _("1 – critical")
    HIGH = 2, _("2 – high")
    MODERATE = 3, _("3 – moderate")
    LOW = 4, _("4 – low")
    PLANNING = 5, _("5 – planning")


class ResolutionCode(models.TextChoices):
    SOLUTION_PROVIDED = "solution_provided", _("Solution provided")
    WORKAROUND_PROVIDED = "workaround_provided", _("Workaround provided")
    RESOLVED_BY_REQUESTER = "resolved_by_requester", _("Resolved by the requester")
    RESOLVED_BY_CHANGE = "resolved_by_change", _("Resolved by a change")
    RESOLVED_BY_PROBLEM = "resolved_by_problem", _("Resolved by a problem fix")
    KNOWN_ERROR = "known_error", _("Known error")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    USER_ERROR = "user_error", _("User error")
    DUPLICATE = "duplicate", _("Duplicate (merged)")


S = IncidentStatus
TRANSITIONS = TransitionTable(
    {
        "assign": ((S.NEW, S.ASSIGNED, S.IN_PROGRESS), S.ASSIGNED),
        "start": ((S.NEW, S.ASSIGNED), S.IN_PROGRESS),
        "hold": ((S.IN_PROGRESS,), S.ON_HOLD),
        "resume": ((S.ON_HOLD,), S.IN_PROGRESS),
        "resolve": ((S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD), S.RESOLVED),
        "reopen": ((S.RESOLVED,), S.IN_PROGRESS),
        "close": ((S.RESOLVED,), S.CLOSED),
        "cancel": ((S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD), S.CANCELLED),
        # Merged into a surviving record (services.links.incident_merge): closed as duplicate.
        "merge": ((S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD, S.RESOLVED), S.CLOSED),
    }
)


class IncidentQuerySet(WorkItemQuerySet):
    def open(self) -> IncidentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def assigned_to_team(self, team: Any) -> IncidentQuerySet:
        return self.filter(team=team)

    def breaching(
        self, *, at: datetime | None = None, within_minutes: int = 60
    ) -> IncidentQuerySet:
        """Incidents whose running resolution clock falls due in the next ``within_minutes``."""
        now = at or timezone.now()
        return self.filter(
            Exists(
                self._resolution_clocks().filter(
                    due_at__gt=now, due_at__lte=now + timedelta(minutes=within_minutes)
                )
            )
        )

    def overdue(self, *, at: datetime | None = None) -> IncidentQuerySet:
        """Incidents whose running resolution clock is past its due time."""
        return self.filter(
            Exists(self._resolution_clocks().filter(due_at__lte=at or timezone.now()))
        )

    def _resolution_clocks(self) -> models.QuerySet[SlaClock]:
        return SlaClock.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            kind=MetricKind.RESOLUTION,
            state=ClockState.RUNNING,
        )


class Incident(WorkItem):
    """An interruption or degradation of a service that someone reported (or monitoring found).

    Its life cycle is the transition table ``TRANSITIONS``; only the services in
    ``steward.incidents.services`` change it, one named action at a time. Priority comes from
    impact × urgency through the priority matrix (``PriorityRule``), unless an agent sets it
    explicitly with a reason. The SLA clocks follow the status (``steward.sla``).
    See docs/processes/incidents.md.
    """

    service = models.ForeignKey(
        "catalogue.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("service"),
    )
    ci = models.ForeignKey(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("configuration item"),
        help_text=_("The configuration item that failed or is degraded (the impact hint)."),
    )
    category = models.CharField(_("category"), max_length=64, blank=True)
    subcategory = models.CharField(_("subcategory"), max_length=64, blank=True)
    impact = models.PositiveSmallIntegerField(
        _("impact"), choices=Impact.choices, default=Impact.LOW
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.LOW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.PLANNING, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.NEW
    )
    hold_reason = models.CharField(
        _("hold reason"), max_length=20, choices=HoldReason.choices, blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=12, choices=IncidentChannel.choices, default=IncidentChannel.PORTAL
    )
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution_code = models.CharField(
        _("resolution code"), max_length=24, choices=ResolutionCode.choices, blank=True
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reassignment_count = models.PositiveSmallIntegerField(_("times reassigned"), default=0)
    is_major = models.BooleanField(_("major incident"), default=False)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    routing_rule = models.ForeignKey(
        "incidents.RoutingRule",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("routing rule"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    objects = IncidentQuerySet.as_manager()  # type: ignore[misc]

    # Not stored: the SLA clocks ``incident_create`` just started, so the response that shows
    # them need not read them back (None on an incident loaded from the database).
    started_clocks: list[Any] | None = None

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "team"], name="incident_status_team_idx"),
            models.Index(fields=["assignee", "status"], name="incident_assignee_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3),
                name="incident_impact_urgency_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="incident_priority_1_to_5"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.RESOLVED, S.CLOSED]) | Q(resolved_at__isnull=False),
                name="incident_resolved_has_resolved_at",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.RESOLVED, S.CLOSED]) | ~Q(resolution_code=""),
                name="incident_resolved_has_code",
            ),
            models.CheckConstraint(
                condition=(Q(status=S.ON_HOLD) & ~Q(hold_reason=""))
                | (~Q(status=S.ON_HOLD) & Q(hold_reason="")),
                name="incident_hold_reason_iff_on_hold",
            ),
            models.CheckConstraint(
                condition=(Q(status__in=TERMINAL_STATUSES) & Q(closed_at__isnull=False))
                | (~Q(status__in=TERMINAL_STATUSES) & Q(closed_at__isnull=True)),
                name="incident_closed_at_iff_terminal",
            ),
        ]

    def allowed_actions(self) -> list[str]:
        """The actions the transition table allows from the current status (not who may)."""
        return TRANSITIONS.allowed(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(IncidentStatus(self.status), "muted")
