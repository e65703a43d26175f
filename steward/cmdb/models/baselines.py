"""Baselines (named snapshots of a set of CIs) and configuration audits with their findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.core.transitions import TransitionTable


class Baseline(TimeStampedModel):
    """A named, frozen snapshot of a set of CIs (fields, attributes and outgoing relations)
    taken at one moment: the agreed configuration to compare with later, or with another
    baseline. Never edited after it is taken."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return self.code


class BaselineItem(models.Model):
    """One CI as it was when the baseline was taken."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="items")
    ci = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()

    class Meta:
        ordering = ["baseline", "ci"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "ci"], name="cmdb_baseline_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.baseline_id}:{self.ci_id}"


class ConfigurationAudit(TimeStampedModel):
    """A planned configuration audit (ISO/IEC 20000-1 8.2.6: verify the accuracy of the
    configuration information at planned intervals): a scope of CIs, an interval, and
    optionally a baseline the scope must still match. Each run records findings."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=200)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    baseline = models.ForeignKey(
        Baseline, null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    interval_days = models.PositiveIntegerField(_("interval (days)"), default=90)
    stale_after_days = models.PositiveIntegerField(
        _("discovery older than (days) is a finding"), null=True, blank=True
    )
    next_due = models.DateField(_("next due"))
    support_team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval_days__gte=1), name="cmdb_audit_interval"
            )
        ]

    def __str__(self) -> str:
        return self.code


class AuditRun(models.Model):
    """One execution of an audit for one due date (at most one per audit and date)."""

    audit = models.ForeignKey(ConfigurationAudit, on_delete=models.PROTECT, related_name="runs")
    due_date = models.DateField(_("due date"))
    ran_at = models.DateTimeField(_("ran at"))
    checked = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "due_date"], name="cmdb_audit_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}@{self.due_date}"


class FindingKind(models.TextChoices):
    DRIFT = "drift", _("Differs from the baseline")
    ADDED = "added", _("Not in the baseline")
    REMOVED = "removed", _("In the baseline, no longer in scope")
    UNAUTHORISED = "unauthorised", _("Unreviewed unauthorised change")
    MISSING_VALUE = "missing_value", _("Required attribute missing")
    STALE = "stale", _("Not seen by discovery recently")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACTION_PLANNED = "action_planned", _("Corrective action planned")
    RESOLVED = "resolved", _("Resolved")
    ACCEPTED = "accepted", _("Accepted as is")


_NOT_CLOSED = [FindingStatus.OPEN, FindingStatus.ACTION_PLANNED]
FINDING_TRANSITIONS = TransitionTable(
    {
        "plan_action": (_NOT_CLOSED, FindingStatus.ACTION_PLANNED),
        "resolve": (_NOT_CLOSED, FindingStatus.RESOLVED),
        "accept": (_NOT_CLOSED, FindingStatus.ACCEPTED),
    }
)


class AuditFinding(TimeStampedModel):
    """Something an audit run found wrong with one CI, and the corrective action taken."""

    run = models.ForeignKey(AuditRun, on_delete=models.PROTECT, related_name="findings")
    ci = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    field = models.CharField(_("field"), max_length=80, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    action = models.TextField(_("corrective action"), blank=True)
    action_due = models.DateField(_("action due"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "ci", "kind", "field"]
        indexes = [models.Index(fields=["status"], name="cmdb_finding_status")]

    def __str__(self) -> str:
        return f"{self.ci_id} {self.kind} {self.field}"
