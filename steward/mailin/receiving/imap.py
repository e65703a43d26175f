"""Poll an IMAP mailbox: ingest every unseen message, then mark it seen (and optionally move
it). A message is marked only after ``mail_ingest`` returned, so a crash re-reads it and the
Message-ID check makes that harmless.

IMAPS verifies the server's certificate and host name against the system's trust store (the
standard library's IMAP client does not by default), or against ``STEWARD_IMAP_CA_FILE`` for
a mail server with a private certificate authority."""

from __future__ import annotations

import contextlib
import imaplib
import ssl
from dataclasses import dataclass

from django.conf import settings

from steward.mailin.models import InboundSource
from steward.mailin.services import Ingested, mail_ingest


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int = 993
    user: str = ""
    password: str = ""
    mailbox: str = "INBOX"
    use_ssl: bool = True
    done_mailbox: str = ""  # move handled messages there ("" keeps them, marked seen)
    timeout: float = 30.0
    ca_file: str = ""  # PEM bundle to trust instead of the system's authorities


def imap_settings() -> ImapSettings | None:
    """The mailbox of the STEWARD_IMAP_* settings, or None when STEWARD_IMAP_HOST is unset."""
    host = getattr(settings, "STEWARD_IMAP_HOST", "")
    if not host:
        return None
    use_ssl = bool(getattr(settings, "STEWARD_IMAP_SSL", True))
    return ImapSettings(
        host=host,
        port=int(getattr(settings, "STEWARD_IMAP_PORT", 993 if use_ssl else 143)),
        user=getattr(settings, "STEWARD_IMAP_USER", ""),
        password=getattr(settings, "STEWARD_IMAP_PASSWORD", ""),
        mailbox=getattr(settings, "STEWARD_IMAP_MAILBOX", "INBOX"),
        use_ssl=use_ssl,
        done_mailbox=getattr(settings, "STEWARD_IMAP_DONE_MAILBOX", ""),
        ca_file=getattr(settings, "STEWARD_IMAP_CA_FILE", ""),
    )


def _connect(config: ImapSettings) -> imaplib.IMAP4:
    if not config.use_ssl:
        return imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
    context = ssl.create_default_context(cafile=config.ca_file or None)
    return imaplib.IMAP4_SSL(
        config.host, config.port, ssl_context=context, timeout=config.timeout
    )


def imap_poll(config: ImapSettings, *, limit: int = 100) -> list[Ingested]:
    """Fetch up to ``limit`` unseen messages and ingest each; return what became of them."""
    client = _connect(config)
    try:
        client.login(config.user, config.password)
        client.select(config.mailbox)
        _, data = client.uid("SEARCH", "UNSEEN")
        uids = [u.decode() for u in (data[0] or b"").split()][:limit] if data else []
        results = [_one(client, uid, config) for uid in uids]
        if config.done_mailbox:
            client.expunge()
        return [r for r in results if r is not None]
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def _one(client: imaplib.IMAP4, uid: str, config: ImapSettings) -> Ingested | None:
    _, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((item[1] for item in data if isinstance(item, tuple)), None)
    if raw is None:
        return None
    result = mail_ingest(raw=bytes(raw), source=InboundSource.IMAP)
    if config.done_mailbox:
        client.uid("COPY", uid, config.done_mailbox)
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen \Deleted)")
    else:
        client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)")
    return result
