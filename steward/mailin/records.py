"""What a person's e-mail does to the records: a new incident, or a comment on one."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from steward.core.errors import ValidationFailed
from steward.identity.models import Person
from steward.incidents import permissions
from steward.incidents.models import TERMINAL_STATUSES, Incident, IncidentChannel
from steward.incidents.services import incident_comment, incident_create
from steward.incidents.services.comments import BODY_MAX
from steward.mailin.models import InboundStatus
from steward.mailin.parsing import MailPart, ParsedMail, reply_text
from steward.mailin.selectors import person_for_address, thread_incident, unknown_sender_person
from steward.workitems.services import attachment_add

TITLE_MAX = 200
ORIGINAL_NAME = "original-message.eml"


class UnknownSender(Exception):
    """Mail from an address no active person has, and no placeholder requester configured."""


@dataclass(frozen=True)
class Outcome:
    status: str
    record: Incident
    notes: tuple[str, ...] = ()


def record_from_mail(mail: ParsedMail, *, raw: bytes) -> Outcome:
    """Comment on the incident ``mail`` continues when its sender may comment there and the
    incident is still open; otherwise raise a new incident. Attach the files and the original.

    The caller holds the transaction. Errors: ``UnknownSender`` and anything the incident
    services raise (the caller keeps the message as failed).
    """
    sender = person_for_address(mail.sender)
    incident = thread_incident(mail)
    if (
        incident is not None
        and sender is not None
        and incident.status not in TERMINAL_STATUSES
        and permissions.can_comment(sender, incident, public=True)
    ):
        incident_comment(actor=sender, incident=incident, body=_comment_body(mail), public=True)
        notes = _attach(mail, raw=raw, actor=sender, record=incident)
        return Outcome(InboundStatus.APPENDED, incident, notes)
    requester = sender or unknown_sender_person()
    if requester is None:
        raise UnknownSender(
            f"No active person has the address {mail.sender!r}, and no placeholder requester "
            "is configured (STEWARD_MAIL_UNKNOWN_SENDER)."
        )
    created = incident_create(
        actor=requester,
        requester=requester,
        title=_title(mail),
        description=_description(mail, known=sender is not None, follows=incident),
        channel=IncidentChannel.EMAIL,
    )
    notes = _attach(mail, raw=raw, actor=requester, record=created)
    return Outcome(InboundStatus.CREATED, created, notes)


def _title(mail: ParsedMail) -> str:
    title = mail.subject.strip() or _("(no subject)")
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _description(mail: ParsedMail, *, known: bool, follows: Incident | None) -> str:
    lines: list[str] = []
    if not known:
        sender = f"{mail.sender_name} <{mail.sender}>" if mail.sender_name else mail.sender
        lines.append(_("E-mail from an unknown sender: %(sender)s") % {"sender": sender})
    if follows is not None:
        lines.append(_("In reply to %(number)s.") % {"number": follows.number})
    text = mail.text.strip()
    return "\n\n".join([*lines, text] if text else lines)


def _comment_body(mail: ParsedMail) -> str:
    text = reply_text(mail.text)
    if not text:
        return _("(The e-mail has no text of its own; the original message is attached.)")
    if len(text) > BODY_MAX:
        return text[: BODY_MAX - 1] + "…"
    return text


def _attach(mail: ParsedMail, *, raw: bytes, actor: Person, record: Incident) -> tuple[str, ...]:
    """Attach every file and the original message. A file the attachment rules refuse (too
    large) is left out, with a note; the original is always attached."""
    notes: list[str] = []
    files = [*mail.parts, MailPart(ORIGINAL_NAME, "message/rfc822", raw, inline=False)]
    for part in files:
        upload = SimpleUploadedFile(part.filename, part.data, content_type=part.content_type)
        try:
            attachment_add(actor=actor, record=record, upload=upload)
        except ValidationFailed as exc:
            if part.filename == ORIGINAL_NAME and part is files[-1]:
                raise
            notes.append(f"{part.filename}: {exc}")
    return tuple(notes)
