"""Reading the audit trail. Callers first decide (through the record's own selector) that the
user may see the record; these functions then return its entries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from steward.audit.models import AuditEntry


def audit_entries_for_record(*, obj: models.Model) -> QuerySet[AuditEntry]:
    """The timeline of one record, oldest first."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("seq")
    )
