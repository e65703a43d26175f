"""Major incidents: the criteria (as data), the major-incident record with its owner and
update schedule, the communications log and the mandatory review.

A major incident is an incident with the highest impact on the business that needs a
separate procedure: a named major-incident manager, scheduled communications to the affected
customers and management, and a review before it may close (ISO/IEC 20000-1 8.6.1, "major
incidents shall be ... managed according to a documented procedure"). See
docs/processes/incidents.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MajorCriterion(models.TextChoices):
    PRIORITY = "priority", _("Priority 1 on a critical service")
    SITES = "sites", _("Many sites affected")
    MANUAL = "manual", _("Declared by hand")


class Audience(models.TextChoices):
    DEPARTMENTS = "departments", _("Affected departments")
    MANAGEMENT = "management", _("Management")
    REQUESTERS = "requesters", _("Requesters of linked incidents")


class CommsChannel(models.TextChoices):
    NOTIFICATION = "notification", _("Sent by Steward")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("Meeting or bridge call")
    CHAT = "chat", _("Chat group")
    EMAIL = "email", _("E-mail sent outside Steward")


class MajorIncidentPolicy(models.Model):
    """When an incident becomes major by itself, and how often a major incident is reported on.

    One row (id 1); the defaults apply while it is missing. A criterion left empty is off.
    """

    max_criticality = models.PositiveSmallIntegerField(
        _("priority 1 on a service of criticality at most"),
        null=True,
        blank=True,
        default=2,
        help_text=_("1 = critical ... 4 = low. Empty: this criterion is off."),
    )
    site_threshold = models.PositiveSmallIntegerField(
        _("distinct sites with open incidents on one service"),
        null=True,
        blank=True,
        default=5,
        help_text=_("Empty: this criterion is off."),
    )
    site_window_minutes = models.PositiveIntegerField(_("... raised within (minutes)"), default=30)
    update_interval_minutes = models.PositiveIntegerField(
        _("default update interval (minutes)"), default=30
    )
    management = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("management told of major incidents"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "major incident policies"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="major_policy_single_row"),
            models.CheckConstraint(
                condition=Q(max_criticality__isnull=True)
                | Q(max_criticality__gte=1, max_criticality__lte=4),
                name="major_policy_criticality_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(site_threshold__isnull=True) | Q(site_threshold__gte=2),
                name="major_policy_sites_at_least_2",
            ),
            models.CheckConstraint(
                condition=Q(site_window_minutes__gte=1, update_interval_minutes__gte=5),
                name="major_policy_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return "major incident policy"


class MajorIncident(models.Model):
    """The major-incident side of an incident: why and when it was declared, who manages it,
    and when the next communication is due. Exists exactly while ``Incident.is_major``
    was set through ``major_declare``.
    """

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="major"
    )
    criterion = models.CharField(_("criterion"), max_length=10, choices=MajorCriterion.choices)
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_major_incidents",
        verbose_name=_("major-incident manager"),
    )
    update_interval_minutes = models.PositiveIntegerField(_("update every (minutes)"))
    next_update_due_at = models.DateTimeField(_("next update due"), db_index=True)
    reminded_for = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(criterion__in=MajorCriterion.values), name="major_criterion_valid"
            ),
            models.CheckConstraint(
                condition=Q(update_interval_minutes__gte=5), name="major_interval_at_least_5"
            ),
        ]

    def __str__(self) -> str:
        return f"major {self.incident_id}"


class CommsEntry(models.Model):
    """One communication about a major incident: to whom, what, by whom, when, how.

    Entries are evidence: never edited or deleted. An entry on the ``notification`` channel
    was sent by Steward to each audience's people; the others record a communication that
    happened elsewhere (a call, a bridge, a chat group).
    """

    major = models.ForeignKey(MajorIncident, on_delete=models.CASCADE, related_name="comms")
    audiences = models.JSONField(_("audiences"), default=list)
    message = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=12, choices=CommsChannel.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=CommsChannel.values), name="comms_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.major_id} {self.written_at:%Y-%m-%d %H:%M}"

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]


class MajorReview(models.Model):
    """The major-incident review: what happened, why, and what will be done about it.

    Must be completed before the incident may close.
    """

    major = models.OneToOneField(MajorIncident, on_delete=models.CASCADE, related_name="review")
    timeline_summary = models.TextField(_("timeline summary"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"review {self.major_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class ReviewAction(models.Model):
    """An improvement the review decided on, with an owner and a due date."""

    review = models.ForeignKey(MajorReview, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]
