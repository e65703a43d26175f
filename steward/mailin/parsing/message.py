"""Raw bytes to a ``ParsedMail``: decoded headers, the body text and the files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import errors, message_from_bytes
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr

from steward.mailin.parsing.charsets import decode_bytes, normalise_charset
from steward.mailin.parsing.html import html_to_text

# Structural defects after which parts of the message are missing or misplaced: such a
# message is not guessed at, it goes to the failed-mail queue.
FATAL_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.MultipartInvariantViolationDefect,
)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


class ParseError(Exception):
    """The message cannot be read reliably; the text says why."""


@dataclass(frozen=True)
class MailPart:
    """A file carried by the message: an attachment or an inline image."""

    filename: str
    content_type: str
    data: bytes
    inline: bool


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    sender_name: str
    sender: str  # the address, lower-cased
    subject: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    html_only: bool
    parts: tuple[MailPart, ...]
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    report_type: str = ""
    report_parts: tuple[str, ...] = ()
    # Why the MIME structure cannot be trusted (parts missing or misplaced), or "".
    defect: str = ""


def parse(raw: bytes) -> ParsedMail:
    """Read ``raw`` (an RFC 5322 message). Raises ``ParseError`` when it cannot be read."""
    if not raw.strip():
        raise ParseError("The message is empty.")
    message = message_from_bytes(raw, policy=compat32)
    defects = [d for part in message.walk() for d in part.defects if isinstance(d, FATAL_DEFECTS)]
    fallback = _first_text_charset(message)
    sender_name, sender = parseaddr(header_text(message, "From", fallback))
    if "@" not in sender:
        raise ParseError("The message has no sender address (From).")
    text, html_only, parts = _body(message)
    content_type = message.get_content_type()
    return ParsedMail(
        message_id=_message_id(message, raw),
        sender_name=sender_name,
        sender=sender.lower(),
        subject=" ".join(header_text(message, "Subject", fallback).split()),
        in_reply_to=_ids(message, "In-Reply-To"),
        references=_ids(message, "References"),
        text=text,
        html_only=html_only,
        parts=parts,
        headers={
            name.lower(): header_text(message, name, fallback)
            for name in (
                "Auto-Submitted",
                "X-Autoreply",
                "X-Autorespond",
                "Precedence",
                "X-Auto-Response-Suppress",
                "Return-Path",
                "Content-Type",
            )
            if message.get(name) is not None
        },
        content_type=content_type,
        report_type=str(message.get_param("report-type", "") or "").lower(),
        report_parts=tuple(part.get_content_type() for part in message.walk()),
        defect=f"Broken MIME structure: {type(defects[0]).__name__}." if defects else "",
    )


def header_text(message: Message, name: str, fallback: str | None = None) -> str:
    """A header as text: MIME encoded-words decoded with the charset rules, raw 8-bit bytes
    read as UTF-8 if valid, else by ``fallback`` (the message's text charset) or GB18030."""
    value = _raw_header(message, name)
    if value is None:
        return ""
    raw = value.encode("utf-8", "surrogateescape")
    if not raw.isascii():
        return decode_bytes(raw, fallback)
    try:
        chunks = decode_header(value)
    except errors.HeaderParseError:
        return value
    return "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, charset)
        for chunk, charset in chunks
    )


def _raw_header(message: Message, name: str) -> str | None:
    """The header as received (8-bit bytes kept as surrogates), unfolded."""
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            return re.sub(r"\r?\n[ \t]", " ", str(value))
    return None


def _message_id(message: Message, raw: bytes) -> str:
    found = MESSAGE_ID.search(str(message.get("Message-ID", "") or ""))
    if found:
        return found.group(0)[:255]
    return digest_id(raw)


def _ids(message: Message, name: str) -> tuple[str, ...]:
    values = " ".join(str(v) for v in message.get_all(name, []))
    return tuple(MESSAGE_ID.findall(values))


def _first_text_charset(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_maintype() == "text" and part.get_content_charset():
            return normalise_charset(part.get_content_charset())
    return None


def _body(message: Message) -> tuple[str, bool, tuple[MailPart, ...]]:
    """The plain text (from text/plain, else from the HTML), whether only HTML was there,
    and the files (attachments and inline images, in order)."""
    plain: list[str] = []
    html: list[str] = []
    parts: list[MailPart] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if part.get_content_type() == "message/rfc822" or part.get_content_maintype() == "message":
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if part.get_content_maintype() == "text" and disposition != "attachment" and not filename:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            text = decode_bytes(data, part.get_content_charset())
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            if part.get_content_subtype() == "plain":
                plain.append(text)
            elif part.get_content_subtype() == "html":
                html.append(text)
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        parts.append(
            MailPart(
                filename=filename or _default_name(part, len(parts) + 1),
                content_type=part.get_content_type(),
                data=payload,
                inline=disposition == "inline" or part.get("Content-ID") is not None,
            )
        )
    if plain:
        return "\n".join(p.strip("\n") for p in plain), False, tuple(parts)
    return "\n".join(html_to_text(h) for h in html), bool(html), tuple(parts)


def _filename(part: Message) -> str:
    """The file name, RFC 2231 and encoded-words decoded; raw 8-bit names read as UTF-8/GB18030."""
    params = Message()
    for header in ("Content-Disposition", "Content-Type"):
        value = _raw_header(part, header)
        if value is not None:
            raw_value = value.encode("utf-8", "surrogateescape")
            params[header] = value if raw_value.isascii() else decode_bytes(raw_value)
    name = params.get_param("filename", None, "content-disposition") or params.get_param("name")
    if name is None:
        return ""
    if isinstance(name, tuple):
        charset, _, value = name
        data = value.encode("latin-1", "surrogateescape") if isinstance(value, str) else b""
        name = decode_bytes(data, charset or "utf-8")
    name = str(name).strip().strip('"')
    raw = name.encode("utf-8", "surrogateescape")
    if not raw.isascii():
        return decode_bytes(raw).replace("/", "_").replace("\\", "_")
    chunks = decode_header(name)
    decoded = "".join(c if isinstance(c, str) else decode_bytes(c, cs) for c, cs in chunks)
    return decoded.replace("/", "_").replace("\\", "_")


def _default_name(part: Message, n: int) -> str:
    subtype = part.get_content_subtype()
    return f"part-{n}.{subtype if subtype.isalnum() else 'bin'}"


def digest_id(raw: bytes) -> str:
    """The identity of a message without a usable Message-ID: a digest of its bytes."""
    return f"<sha256.{hashlib.sha256(raw).hexdigest()}@mailin.invalid>"
