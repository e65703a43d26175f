"""Automatic mail that must never raise or answer anything (RFC 3834, RFC 3464, RFC 8098)."""

from __future__ import annotations

import re
from enum import StrEnum

from steward.mailin.parsing.message import ParsedMail

BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
BOUNCE_SUBJECTS = re.compile(
    r"^(undeliver(ed|able)|delivery status notification \((failure|delay)\)|"
    r"mail delivery failed|returned mail|failure notice|delivery failure|"
    r"系统退信|退信|投递失败)",
    re.IGNORECASE,
)
AUTO_SUBJECTS = re.compile(
    r"^(auto(matic)?[ -]?(reply|response|respons)|out of (the )?office|自动回复|休假)",
    re.IGNORECASE,
)


class MailKind(StrEnum):
    PERSONAL = "personal"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    RECEIPT = "receipt"


def kind_of(mail: ParsedMail) -> MailKind:
    """Bounce (delivery status report or a mailer daemon's message), read receipt (MDN),
    automatic reply (Auto-Submitted other than "no", X-Autoreply, Precedence bulk/junk/list/
    auto_reply, or an auto-reply subject), else a person's mail.

    When the MIME structure is broken (``mail.defect``), only the top-level headers are
    trusted: a broken message they do not mark as automatic is a person's (and then fails)."""
    if mail.defect:
        return _by_headers(mail)
    if mail.report_type == "delivery-status" or "message/delivery-status" in mail.report_parts:
        return MailKind.BOUNCE
    if (
        mail.report_type == "disposition-notification"
        or "message/disposition-notification" in mail.report_parts
    ):
        return MailKind.RECEIPT
    return _by_headers(mail)


def _by_headers(mail: ParsedMail) -> MailKind:
    if BOUNCE_SENDERS.match(mail.sender) or BOUNCE_SUBJECTS.match(mail.subject):
        return MailKind.BOUNCE
    headers = mail.headers
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return MailKind.AUTO_REPLY
    if headers.get("x-autoreply") or headers.get("x-autorespond"):
        return MailKind.AUTO_REPLY
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return MailKind.AUTO_REPLY
    if AUTO_SUBJECTS.match(mail.subject):
        return MailKind.AUTO_REPLY
    return MailKind.PERSONAL
