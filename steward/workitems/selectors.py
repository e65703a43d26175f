"""Reads of work items through the one visibility rule."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.workitems.models import Attachment, WorkItem
from steward.workitems.registry import (
    RecordType,
    record_type_for_model,
    record_type_for_number,
    record_types,
)


def record_get_for(*, user: Any, number: str) -> WorkItem:
    """The record with ``number`` if ``user`` may see it; otherwise ``NotFound`` (never 403)."""
    record_type = record_type_for_number(number)
    if record_type is not None:
        record = (
            record_type.model.objects.visible_to(user)
            .select_related("requester", "assignee", "team", "department", "site")
            .filter(number__iexact=number)
            .first()
        )
        if record is not None:
            return record  # type: ignore[no-any-return]
    raise NotFound(_("No record %(number)s.") % {"number": number})


def record_list_for(*, user: Any, record_type: RecordType) -> QuerySet[Any]:
    return record_type.model.objects.visible_to(user).select_related(
        "requester", "assignee", "team", "department", "site"
    )


def record_search_for(*, user: Any, query: str, limit: int = 20) -> list[WorkItem]:
    """Records of every type matching ``query`` in number or title, newest first."""
    text = query.strip()
    if not text:
        return []
    found: list[WorkItem] = []
    for record_type in record_types():
        condition = Q()
        for name in record_type.search_fields:
            condition |= Q(**{f"{name}__icontains": text})
        found.extend(
            record_list_for(user=user, record_type=record_type)
            .filter(condition)
            .order_by("-opened_at")[:limit]
        )
    found.sort(key=lambda r: r.opened_at, reverse=True)
    return found[:limit]


def record_export_csv_for(*, user: Any, record_type: RecordType) -> Iterator[str]:
    """CSV lines of the records of one type that ``user`` may see."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(record_type.export_fields)
    yield buffer.getvalue()
    rows = (
        record_list_for(user=user, record_type=record_type)
        .order_by("pk")
        .values_list(*record_type.export_fields)
    )
    for row in rows.iterator(chunk_size=2000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def attachments_for(*, record: WorkItem) -> QuerySet[Attachment]:
    content_type = ContentType.objects.get_for_model(record)
    return Attachment.objects.filter(content_type=content_type, object_id=record.pk)


def attachment_get_for(*, user: Any, attachment_id: int) -> Attachment:
    """An attachment whose record ``user`` may see; otherwise ``NotFound``."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=attachment_id).first()
    if attachment is not None:
        model = attachment.content_type.model_class()
        record_type = record_type_for_model(model) if model is not None else None
        if (
            record_type is not None
            and record_type.model.objects.visible_to(user).filter(pk=attachment.object_id).exists()
        ):
            return attachment
    raise NotFound(_("No such attachment."))
