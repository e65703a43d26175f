"""Field-level history of CIs and relations, with the change record that authorised each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    TRANSITION = "transition", _("Status changed")
    RELATION_ADD = "relation_add", _("Relation added")
    RELATION_REMOVE = "relation_remove", _("Relation removed")
    GROUP = "group", _("Redundancy group changed")


class CiChange(models.Model):
    """One field of one CI (or one relation) changed: before, after, who, when, from where,
    and the change record that authorised it (``change_number``; the changes app links it).

    A change to a CI of a class under change control made without a change record is
    ``unauthorised`` and waits for review (``reviewed_by``/``reviewed_at``). Rows written by
    one service call share ``operation``. Rows are never edited except for the review.
    """

    ci = models.ForeignKey(
        "cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="changes"
    )
    other_ci = models.ForeignKey(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The other end, for relation changes."),
    )
    relation = models.ForeignKey(
        "cmdb.Relation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operation = models.UUIDField(db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    field = models.CharField(_("field"), max_length=80)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16)
    change_number = models.CharField(_("change record"), max_length=32, null=True, blank=True)
    unauthorised = models.BooleanField(_("unauthorised"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["ci", "-id"], name="cmdb_change_ci"),
            models.Index(fields=["other_ci", "-id"], name="cmdb_change_other"),
            models.Index(fields=["unauthorised", "reviewed_at"], name="cmdb_change_unreviewed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True) | models.Q(unauthorised=True),
                name="cmdb_only_unauthorised_reviewed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ci_id} {self.action} {self.field}"
