"""The audit trail (ISO/IEC 20000-1 7.5): an append-only, hash-chained log of every change.

Each entry records who did what to which record, when, from where, with before and after
values. Entries are numbered without gaps (``seq``) and each one's ``hash`` covers its content
and the previous entry's hash, so ``steward audit verify`` finds any altered, inserted or
missing entry. The application has no update or delete path; on PostgreSQL a trigger refuses
UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    CONSOLE = "console", _("Console")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    JOB = "job", _("Background job")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses bulk updates and deletes: audit entries are never changed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """One recorded change: create, field change, state transition or security event."""

    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=10, choices=AuditSource.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"], name="audit_record_idx")
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit entries are append-only")
