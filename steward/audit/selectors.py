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


def audit_entries(*, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    """All audit entries, newest first, optionally of one action or record type.

    Not scoped: callers go through ``identity.selectors.audit_log_for``, which checks roles.
    """
    entries = AuditEntry.objects.select_related("content_type", "actor").order_by("-seq")
    if action:
        entries = entries.filter(action=action)
    if object_type and "." in object_type:
        app_label, model = object_type.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    return entries


def audit_object_types() -> list[tuple[str, str]]:
    """``(app_label.model, label)`` for the content types that can appear in the log."""
    return [
        (f"{ct.app_label}.{ct.model}", f"{ct.name} ({ct.app_label}.{ct.model})")
        for ct in ContentType.objects.order_by("app_label", "model")
    ]
