"""Service level agreements: who is promised what, measured how.

An ``Agreement`` is an SLA (with a customer), an OLA (with an internal team) or an underpinning
contract (with a supplier), for one service, valid between two dates and versioned. Each
``AgreementMetric`` (first response, resolution, request fulfilment) has targets per priority, a
calendar and conditions written in terms of record states (start, pause, stop, cancel).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.identity.models import Bilingual


class AgreementKind(models.TextChoices):
    SLA = "sla", _("Service level agreement (customer)")
    OLA = "ola", _("Operational level agreement (internal team)")
    UC = "uc", _("Underpinning contract (supplier)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class PriorityChangePolicy(models.TextChoices):
    RECOMPUTE = "recompute", _("Recompute against the new target from the original start")
    FROM_CHANGE = "from_change", _("Apply the new target from the change")
    RESTART = "restart", _("Restart the clock")


def default_thresholds() -> list[int]:
    return [50, 75, 90]


def default_escalation() -> dict[str, str]:
    return {"50": "assignee", "75": "team_lead", "90": "service_owner", "100": "service_owner"}


class Agreement(Bilingual, TimeStampedModel):
    """What IT promises for one service to one customer (or a team / a supplier promises IT)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(
        _("type"), max_length=4, choices=AgreementKind.choices, default=AgreementKind.SLA
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, related_name="agreements"
    )
    customer_department = models.ForeignKey(
        "identity.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("Empty with no site group: the agreement covers every customer."),
    )
    customer_site_group = models.ForeignKey(
        "identity.SiteGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("The internal team of an OLA."),
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    priority_change_policy = models.CharField(
        max_length=12, choices=PriorityChangePolicy.choices, default=PriorityChangePolicy.RECOMPUTE
    )
    reopen_window_days = models.PositiveSmallIntegerField(
        _("reopen window (days)"),
        default=7,
        help_text=_(
            "A record reopened within this many days continues its clocks; later, new clocks start."
        ),
    )
    warning_thresholds = models.JSONField(_("warning thresholds (%)"), default=default_thresholds)
    escalation = models.JSONField(_("escalation per threshold"), default=default_escalation)
    compliance_target = models.DecimalField(
        _("compliance target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95.00"),
        help_text=_("A month below this share of met clocks requires an improvement action."),
    )
    monthly_limit = models.PositiveIntegerField(
        _("workload limit (records a month)"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_range",
            )
        ]


class MetricKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")
    FULFILMENT = "fulfilment", _("Request fulfilment")


class AgreementMetric(models.Model):
    """One measured promise of an agreement: targets per priority on a calendar."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="metrics")
    kind = models.CharField(_("metric"), max_length=16, choices=MetricKind.choices)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar", on_delete=models.PROTECT, related_name="metrics"
    )
    targets = models.JSONField(
        _("targets (business minutes per priority)"),
        help_text=_('For example {"1": 240, "2": 480, "3": 1440, "4": 2880, "5": 4800}.'),
    )
    start_states = models.JSONField(default=list)
    pause_states = models.JSONField(default=list)
    stop_states = models.JSONField(default=list)
    cancel_states = models.JSONField(default=list)

    class Meta:
        ordering = ["agreement", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="one_metric_kind")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.code} {self.kind}"

    def target_minutes(self, priority: int) -> int | None:
        value = self.targets.get(str(priority))
        return int(value) if value is not None else None


class SlaException(TimeStampedModel):
    """An approved exclusion: time or records that do not count against the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="exclusions")
    reason = models.CharField(_("reason"), max_length=300)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=[
            ("maintenance", _("Approved maintenance")),
            ("force_majeure", _("Force majeure")),
            ("record", _("Single record")),
        ],
    )
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    record_number = models.CharField(_("record"), max_length=20, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.reason}"


class ImprovementAction(TimeStampedModel):
    """A period that missed a target requires an improvement action (owner, due date, status)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="improvements")
    metric = models.CharField(max_length=16, choices=MetricKind.choices)
    period = models.CharField(_("period"), max_length=7, help_text="YYYY-MM")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        default="open",
        choices=[("open", _("Open")), ("done", _("Done")), ("cancelled", _("Cancelled"))],
    )

    class Meta:
        ordering = ["-period", "agreement"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "metric", "period"], name="one_improvement_per_miss"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.code} {self.metric} {self.period}"
