"""Inbound e-mail: one row per message received, whatever became of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    CREATED = "created", _("Created a record")
    APPENDED = "appended", _("Added to a record")
    IGNORED_AUTO = "ignored_auto", _("Ignored: automatic reply")
    IGNORED_BOUNCE = "ignored_bounce", _("Ignored: bounce")
    IGNORED_RECEIPT = "ignored_receipt", _("Ignored: read receipt")
    FAILED = "failed", _("Failed")
    DUPLICATE = "duplicate", _("Duplicate")


class InboundSource(models.TextChoices):
    IMAP = "imap", _("IMAP mailbox")
    LMTP = "lmtp", _("LMTP/SMTP receiver")
    PIPE = "pipe", _("Pipe command")


class InboundMessage(models.Model):
    """An e-mail that reached the service desk, kept as received (the raw ``.eml``).

    ``status`` says what it did: raised a record, added to one, was ignored as an automatic
    reply, bounce or read receipt (never answered, so mail loops cannot start), or failed; a
    failed message is the failed-mail queue, with the reason in ``error``. ``message_id`` is the
    Message-ID header (or a digest of the bytes when there is none), so the same message
    ingested twice is recognised. A second arrival of the same message is not stored again.
    """

    message_id = models.CharField(_("message id"), max_length=255, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    source = models.CharField(_("source"), max_length=8, choices=InboundSource.choices)
    sender = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=InboundStatus.choices, db_index=True
    )
    record_number = models.CharField(_("record number"), max_length=32, blank=True)
    error = models.TextField(_("error"), blank=True)
    raw = models.FileField(_("original message"), upload_to="mailin/%Y/%m/")

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"
