"""Satisfaction surveys sent when a record is resolved, and the complaints a poor rating
opens. Process: docs/processes/satisfaction.md (ISO/IEC 20000-1 8.3.2).

Both hang off any registered record type (incidents now, service requests next) through a
generic relation, and keep a snapshot of the record's number, team, engineer and service at
resolution, so CSAT figures do not move when a record is reassigned later.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.transitions import TransitionTable

RATING_MIN = 1
RATING_MAX = 5
SATISFIED_FROM = 4  # 4 and 5 count as satisfied
COMPLAINT_UP_TO = 2  # 1 and 2 open a complaint


class SurveyStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    RATED = "rated", _("Rated")
    VOID = "void", _("Void")


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    LINK = "link", _("Signed link")
    API = "api", _("API")


SURVEY_TRANSITIONS = TransitionTable(
    {
        "rate": ((SurveyStatus.INVITED,), SurveyStatus.RATED),
        "void": ((SurveyStatus.INVITED,), SurveyStatus.VOID),
    }
)


class Survey(models.Model):
    """One invitation to rate one resolution of a record.

    A record reopened and resolved again gets a fresh survey and the earlier one becomes void:
    at most one open survey per record. ``nonce`` is part of the signed link, so a link names
    exactly one survey and stops working once the survey is rated, void or expired.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    record_number = models.CharField(_("record"), max_length=20, db_index=True)
    record_title = models.CharField(_("title"), max_length=200)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys"
    )
    team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("team"),
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("engineer"),
    )
    service = models.ForeignKey(
        "catalogue.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("service"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.INVITED
    )
    nonce = models.CharField(max_length=32, unique=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    rated_via = models.CharField(
        _("rated through"), max_length=10, choices=RatingChannel.choices, blank=True
    )
    voided_at = models.DateTimeField(_("void since"), null=True, blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="survey_record_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(status="invited"),
                name="one_open_survey_per_record",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="survey_rating_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(status="rated") & Q(rating__isnull=False) & Q(rated_at__isnull=False))
                | (~Q(status="rated") & Q(rating__isnull=True)),
                name="survey_rated_has_rating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_number} #{self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.status == SurveyStatus.INVITED and timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        """Still waiting for a rating (invited and not past its expiry)."""
        return self.status == SurveyStatus.INVITED and not self.is_expired


class ComplaintStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    INVESTIGATING = "investigating", _("Investigating")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


C = ComplaintStatus
COMPLAINT_TRANSITIONS = TransitionTable(
    {
        "investigate": ((C.RECORDED,), C.INVESTIGATING),
        "resolve": ((C.RECORDED, C.INVESTIGATING), C.RESOLVED),
        "reopen": ((C.RESOLVED,), C.INVESTIGATING),
        "close": ((C.RESOLVED,), C.CLOSED),
    }
)
COMPLAINT_STATUS_COLOURS = {
    C.RECORDED: "danger", C.INVESTIGATING: "warning", C.RESOLVED: "info", C.CLOSED: "muted",
}


class Complaint(models.Model):
    """A customer's expressed dissatisfaction with how a record was handled, opened by a
    rating of 1 or 2. Owned by the lead of the record's team (fallback: the service owner),
    investigated, resolved with an outcome the customer is told, then closed."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    survey = models.OneToOneField(
        Survey, on_delete=models.PROTECT, related_name="complaint", verbose_name=_("survey")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="owned_complaints", verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECORDED, db_index=True,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"])
                | (Q(resolved_at__isnull=False) & ~Q(outcome="")),
                name="complaint_resolved_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def allowed_actions(self) -> list[str]:
        return COMPLAINT_TRANSITIONS.allowed(self.status)

    @property
    def status_colour(self) -> str:
        return COMPLAINT_STATUS_COLOURS.get(ComplaintStatus(self.status), "muted")

    @property
    def is_open(self) -> bool:
        return self.status in {C.RECORDED, C.INVESTIGATING}


class ComplaintNote(models.Model):
    """A note on a complaint's investigation (staff only)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint} note {self.pk}"

