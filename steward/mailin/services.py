"""The inbound e-mail channel: every received message goes through ``mail_ingest``.

See steward/mailin/README.md. Each message is handled in its own transaction and recorded as
one ``InboundMessage``; a message that fails is kept in the failed-mail queue with the error,
and the exception never reaches the caller, so the next messages are still processed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.audit.context import source as audit_source
from steward.audit.models import AuditSource
from steward.core.errors import Conflict
from steward.incidents.models import Incident
from steward.mailin.models import InboundMessage, InboundStatus
from steward.mailin.parsing import MailKind, ParsedMail, ParseError, kind_of, parse
from steward.mailin.parsing.message import digest_id
from steward.mailin.records import record_from_mail

logger = logging.getLogger(__name__)

IGNORED = {
    MailKind.AUTO_REPLY: InboundStatus.IGNORED_AUTO,
    MailKind.BOUNCE: InboundStatus.IGNORED_BOUNCE,
    MailKind.RECEIPT: InboundStatus.IGNORED_RECEIPT,
}


@dataclass(frozen=True)
class Ingested:
    """What ``mail_ingest`` did: ``status`` (``duplicate`` when the Message-ID was already
    ingested: then ``message`` is the earlier row) and the record raised or updated."""

    status: str
    message: InboundMessage
    record: Incident | None = None


def mail_ingest(*, raw: bytes, source: str) -> Ingested:
    """Ingest one received e-mail (the raw RFC 5322 bytes) from ``source`` (imap/lmtp/pipe).

    - The same Message-ID (or, without one, the same bytes) twice: nothing new (``duplicate``).
    - Automatic replies, bounces and read receipts are recorded and otherwise ignored: no
      record, no comment, no acknowledgement (so no mail loop).
    - A reply to an open incident (In-Reply-To/References, or its number in the subject) from
      a sender allowed to comment on it becomes a public comment; anything else raises a new
      incident (channel e-mail). Files, inline images and the original ``.eml`` are attached.
    - A message that cannot be read or stored is kept with status ``failed`` and the error.

    Changes are audited with source "email". Emits what ``incident_create`` and
    ``incident_comment`` emit. Never raises for a bad message.
    """
    with audit_source(AuditSource.EMAIL):
        try:
            mail = parse(raw)
        except ParseError as exc:
            return _keep(
                raw, source, message_id=digest_id(raw), status=InboundStatus.FAILED, error=str(exc)
            )
        earlier = InboundMessage.objects.filter(message_id=mail.message_id).first()
        if earlier is not None:
            return Ingested(status=InboundStatus.DUPLICATE, message=earlier)
        kind = kind_of(mail)
        if kind in IGNORED:
            return _keep(raw, source, mail=mail, status=IGNORED[kind])
        if mail.defect:
            return _keep(raw, source, mail=mail, status=InboundStatus.FAILED, error=mail.defect)
        return _process(raw, source, mail)


def _process(raw: bytes, source: str, mail: ParsedMail) -> Ingested:
    try:
        with transaction.atomic():
            # The row first: a concurrent ingestion of the same message waits on its unique
            # Message-ID here, then fails and reports a duplicate instead of a second record.
            row = _row(
                raw, source, mail=mail, message_id=mail.message_id, status=InboundStatus.CREATED
            )
            outcome = record_from_mail(mail, raw=raw)
            row.status = outcome.status
            row.record_number = outcome.record.number
            row.error = "\n".join(outcome.notes)
            row.save(update_fields=["status", "record_number", "error"])
    except IntegrityError as exc:
        earlier = InboundMessage.objects.filter(message_id=mail.message_id).first()
        if earlier is not None:
            return Ingested(status=InboundStatus.DUPLICATE, message=earlier)
        return _keep(
            raw,
            source,
            mail=mail,
            status=InboundStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the next ones
        logger.warning("inbound mail %s failed: %s", mail.message_id, exc, exc_info=True)
        return _keep(
            raw,
            source,
            mail=mail,
            status=InboundStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
        )
    return Ingested(status=row.status, message=row, record=outcome.record)


def mail_retry(*, message: InboundMessage) -> Ingested:
    """Process a message of the failed-mail queue again, from its stored original (after
    the cause was fixed: the sender's account created, a placeholder requester configured).

    On success the same row becomes ``created``/``appended`` (or ignored); on failure it stays
    ``failed`` with the new error. Errors: ``Conflict`` (code ``not_failed``) when the message
    is not in the failed-mail queue.
    """
    if message.status != InboundStatus.FAILED:
        raise Conflict(f"{message.message_id} is {message.status}, not failed.", code="not_failed")
    with message.raw.open("rb") as stored:
        raw = stored.read()
    with audit_source(AuditSource.EMAIL):
        try:
            mail = parse(raw)
        except ParseError as exc:
            return _refail(message, str(exc))
        kind = kind_of(mail)
        if kind not in IGNORED and mail.defect:
            return _refail(message, mail.defect)
        try:
            with transaction.atomic():
                row = InboundMessage.objects.select_for_update().get(pk=message.pk)
                if row.status != InboundStatus.FAILED:
                    return Ingested(status=InboundStatus.DUPLICATE, message=row)
                outcome = record_from_mail(mail, raw=raw) if kind not in IGNORED else None
                row.status = outcome.status if outcome else IGNORED[kind]
                row.record_number = outcome.record.number if outcome else ""
                row.error = "\n".join(outcome.notes) if outcome else ""
                row.save(update_fields=["status", "record_number", "error"])
        except Exception as exc:  # noqa: BLE001 - the queue keeps the reason, never raises
            return _refail(message, f"{type(exc).__name__}: {exc}")
    return Ingested(status=row.status, message=row, record=outcome.record if outcome else None)


def _refail(message: InboundMessage, error: str) -> Ingested:
    with transaction.atomic():
        InboundMessage.objects.filter(pk=message.pk).update(error=error)
    message.refresh_from_db()
    return Ingested(status=InboundStatus.FAILED, message=message)


def _keep(
    raw: bytes,
    source: str,
    *,
    status: str,
    mail: ParsedMail | None = None,
    message_id: str = "",
    error: str = "",
) -> Ingested:
    """Record a message that raises nothing (ignored or failed)."""
    key = mail.message_id if mail is not None else message_id
    try:
        with transaction.atomic():
            row = _row(raw, source, mail=mail, message_id=key, status=status, error=error)
    except IntegrityError:
        return Ingested(
            status=InboundStatus.DUPLICATE, message=InboundMessage.objects.get(message_id=key)
        )
    return Ingested(status=status, message=row)


def _row(
    raw: bytes,
    source: str,
    *,
    mail: ParsedMail | None,
    message_id: str,
    status: str,
    error: str = "",
) -> InboundMessage:
    row = InboundMessage(
        message_id=message_id,
        received_at=timezone.now(),
        source=source,
        sender=(mail.sender if mail else "")[:254],
        subject=(mail.subject if mail else "")[:255],
        status=status,
        error=error,
    )
    row.raw.save("message.eml", ContentFile(raw), save=False)
    row.save(force_insert=True)
    return row
