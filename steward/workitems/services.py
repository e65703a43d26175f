"""Writes shared by every work item: attachments."""

from __future__ import annotations

import hashlib
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import permissions
from steward.workitems.models import Attachment, WorkItem


def attachment_check(*, upload: UploadedFile[bytes], field: str = "file") -> None:
    """Refuse a file the attachment rules do not take: empty, larger than
    ``STEWARD_ATTACHMENT_MAX_BYTES``, or of a blocked type (the last extension of its name in
    ``STEWARD_ATTACHMENT_BLOCKED_EXTENSIONS``: programs and scripts). Writes nothing.

    ``attachment_add`` runs it first; a service storing several files runs it for each of them
    before it stores any, naming the input ``field`` the file came in.
    Errors: ValidationFailed (``field``).
    """
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed(_("The file is empty."), field=field)
    if size > settings.STEWARD_ATTACHMENT_MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.STEWARD_ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            field=field,
        )
    extension = blocked_extension(upload.name or "")
    if extension:
        raise ValidationFailed(
            _("Files of type .%(extension)s are not accepted: programs and scripts could harm "
              "the computers that open them.") % {"extension": extension},
            field=field,
        )


def blocked_extension(filename: str) -> str:
    """The name's last extension when attachments of that type are refused, else "".
    Trailing dots and spaces are ignored, as Windows ignores them."""
    name = filename.strip().rstrip(". ").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." not in name:
        return ""
    extension = name.rsplit(".", 1)[-1].lower()
    return extension if extension in settings.STEWARD_ATTACHMENT_BLOCKED_EXTENSIONS else ""


def attachment_add(*, actor: Any, record: WorkItem, upload: UploadedFile[bytes]) -> Attachment:
    """Attach a file to a record the actor can see (the caller's selector decided that).

    Errors: NotPermitted for read-only users; ValidationFailed for empty, oversized or
    blocked files (``attachment_check``).
    """
    if not permissions.can_write(actor):
        raise NotPermitted(_("Your role is read-only."))
    attachment_check(upload=upload)
    size = upload.size or 0
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[:255]
    media_type = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    with transaction.atomic():
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            filename=name,
            media_type=media_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            obj=record,
            action="attachment_added",
            changes={"attachment": [None, name], "size": size},
        )
    return attachment
