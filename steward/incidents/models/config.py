"""Incident management configuration held as data (edited by administrators, audited)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.incidents.models.incident import Impact, Priority, Urgency


class PriorityRule(models.Model):
    """One cell of the priority matrix: impact × urgency → priority.

    Seeded with the ITIL default 3×3 → 5 (migration 0002); administrators may change cells.
    A missing cell falls back to the default (``steward.incidents.priority``).
    """

    impact = models.PositiveSmallIntegerField(_("impact"), choices=Impact.choices)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)

    class Meta:
        ordering = ["impact", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["impact", "urgency"], name="unique_priority_cell"),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=3, urgency__gte=1, urgency__lte=3)
                & Q(priority__gte=1, priority__lte=5),
                name="priority_rule_ranges",
            ),
        ]

    def __str__(self) -> str:
        return f"I{self.impact} × U{self.urgency} → P{self.priority}"


class IncidentPolicy(models.Model):
    """The service desk's incident rules: how long a resolution may be reopened, when a
    resolved incident closes by itself, and the team that takes incidents with no service.

    One row (id 1), seeded by migration 0003.
    """

    reopen_window_days = models.PositiveSmallIntegerField(
        _("reopen window (days)"),
        default=7,
        help_text=_("A resolved incident may be reopened for this many days after resolution."),
    )
    auto_close_days = models.PositiveSmallIntegerField(
        _("close resolved incidents after (days)"), default=7
    )
    default_team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team for incidents without a service"),
    )
    it_manager = models.ForeignKey(
        "identity.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("IT manager (last escalation level)"),
    )

    class Meta:
        verbose_name_plural = "incident policies"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="incident_policy_single_row"),
            models.CheckConstraint(
                condition=Q(auto_close_days__gte=1), name="incident_auto_close_at_least_a_day"
            ),
        ]

    def __str__(self) -> str:
        return "incident policy"


class NumberSequence(models.Model):
    """The last number handed out per prefix (``INC`` → INC-000123) on SQLite, where
    allocation locks the row for the rest of the creating transaction (unique, gap-free).
    PostgreSQL uses the sequence ``incidents_number_inc`` instead (``services.numbering``).
    """

    prefix = models.CharField(max_length=8, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} {self.last_value}"
