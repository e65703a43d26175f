"""Routing, assignment inside a team and escalation, held as data (ISO/IEC 20000-1 8.6.1).

- ``RoutingRule``: conditions on a new incident → a team; ordered, first active match wins.
- ``TeamAssignment``: how a team hands out its new incidents (manual, round-robin,
  least-loaded), one row per team; ``MemberAvailability``: who of the team is away.
- ``Escalation``: the evidence row of a functional or hierarchical escalation.

See docs/processes/incidents.md ("Routing, assignment and escalation").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.transitions import TransitionTable
from steward.incidents.models.incident import OPEN_STATUSES, IncidentStatus

S = IncidentStatus
# Escalations are actions too: functional escalation moves the incident to another team, like
# "assign" (not while on hold: resume first); hierarchical escalation keeps the status and is
# allowed while the incident is open.
ESCALATIONS = TransitionTable(
    {
        "escalate_functional": ((S.NEW, S.ASSIGNED, S.IN_PROGRESS), S.ASSIGNED),
        "escalate_hierarchical": (OPEN_STATUSES, S.NEW),  # target unused: status unchanged
    }
)


class RoutingRule(models.Model):
    """Send new incidents that meet every condition set on the rule to ``team``.

    An empty condition matches anything. Keywords (one per line or comma-separated) match the
    title or description case-insensitively, in Chinese or English; any keyword is enough.
    Rules are tried in ``position`` order and the first active match wins; without a match
    the service's support team takes the incident (the policy's default team without a
    service).
    """

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    service = models.ForeignKey(
        "catalogue.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service"),
    )
    category = models.CharField(_("category"), max_length=64, blank=True)
    site = models.ForeignKey(
        "identity.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    site_group = models.ForeignKey(
        "identity.SiteGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site group"),
    )
    keywords = models.TextField(_("keywords"), blank=True)
    vip_only = models.BooleanField(_("VIP requesters only"), default=False)
    team = models.ForeignKey(
        "identity.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=True) | Q(site_group__isnull=True),
                name="routing_rule_site_or_group",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        parts = self.keywords.replace("，", ",").replace("\n", ",").split(",")
        return [p.strip().casefold() for p in parts if p.strip()]


class AssignmentStrategy(models.TextChoices):
    MANUAL = "manual", _("Manual (the team's queue)")
    ROUND_ROBIN = "round_robin", _("Round-robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")


class TeamAssignment(models.Model):
    """How ``team`` assigns the incidents routed to it. A team without a row is manual.

    ``last_assignee`` is the round-robin cursor; assignment locks this row, so two incidents
    created at once never take the same turn.
    """

    team = models.OneToOneField(
        "identity.Team", on_delete=models.CASCADE, related_name="assignment", primary_key=True
    )
    strategy = models.CharField(
        _("strategy"),
        max_length=16,
        choices=AssignmentStrategy.choices,
        default=AssignmentStrategy.MANUAL,
    )
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(strategy__in=AssignmentStrategy.values),
                name="team_assignment_strategy_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.strategy}"


class MemberAvailability(models.Model):
    """Whether a member of a team takes automatic assignments now, and when the strategy last
    gave them one (least-loaded breaks ties by it). No row: available, never assigned."""

    team = models.ForeignKey("identity.Team", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_available = models.BooleanField(_("available"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    last_assigned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="unique_member_availability")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.team_id} {self.is_available}"


class EscalationKind(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional (to another team)")
    HIERARCHICAL = "hierarchical", _("Hierarchical (to management)")


class Escalation(models.Model):
    """Evidence of one escalation: who escalated what, when, from whom to whom, and why.

    Functional: ``from_team`` → ``to_team`` (and the assignee the team's strategy chose).
    Hierarchical: to the team lead (level 1), the service owner (2), the IT manager (3);
    ``level`` is the incident's escalation level after this one. Append-only.
    """

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="escalations"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EscalationKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EscalationKind.values), name="escalation_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="functional") | Q(to_team__isnull=False),
                name="escalation_functional_has_team",
            ),
            models.CheckConstraint(
                condition=~Q(kind="hierarchical") | Q(level__gte=1, to_person__isnull=False),
                name="escalation_hierarchical_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind} {self.level}"
