"""An LMTP (or SMTP) receiver on aiosmtpd: the mail server hands messages to Steward.

Every accepted message is ingested before the answer, so "250" means Steward has it (even a
failed one is kept in the failed-mail queue). Recipients outside the accepted domains are
refused, so the receiver is not an open relay.
"""

from __future__ import annotations

from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

from steward.mailin.models import InboundSource
from steward.mailin.services import mail_ingest


def _ingest(raw: bytes) -> str:
    close_old_connections()
    try:
        result = mail_ingest(raw=raw, source=InboundSource.LMTP)
    finally:
        # The executor's threads are reused; do not leave their connections open between
        # deliveries (a receiver handles few messages a second).
        connections.close_all()
    return result.status


class IngestHandler:
    """aiosmtpd handler: accept recipients of ``domains`` (all when empty), ingest the data."""

    def __init__(self, domains: tuple[str, ...] = (), *, lmtp: bool = False) -> None:
        self.domains = tuple(d.lower() for d in domains)
        self.lmtp = lmtp

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        domain = address.rsplit("@", 1)[-1].lower()
        if self.domains and domain not in self.domains:
            return "550 5.1.1 not a mailbox of this service desk"
        if self.lmtp and envelope.rcpt_tos:
            # LMTP answers DATA once per recipient; aiosmtpd answers once. Taking one recipient
            # per transaction keeps the answers right: the client sends the rest again, and
            # the repeated Message-ID is recognised as a duplicate.
            return "452 4.5.3 Too many recipients, send again"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode("utf-8")
        await sync_to_async(_ingest, thread_sensitive=False)(raw)
        return "250 2.0.0 Message accepted"


class LmtpController(Controller):
    """Controller speaking LMTP instead of SMTP."""

    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def receiver(*, host: str, port: int, lmtp: bool, domains: tuple[str, ...] = ()) -> Controller:
    """A started-on-demand receiver (call ``start()``/``stop()``)."""
    handler = IngestHandler(domains, lmtp=lmtp)
    kind = LmtpController if lmtp else Controller
    return kind(handler, hostname=host, port=port, decode_data=False)
