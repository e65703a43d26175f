"""``steward mail ingest < message.eml``: ingest one message from standard input (for a mail
server's pipe delivery, e.g. a Postfix ``pipe`` transport or a ``.forward`` / aliases entry)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from steward.mailin.models import InboundSource, InboundStatus
from steward.mailin.services import mail_ingest


class Command(BaseCommand):
    help = "Ingest one e-mail (RFC 5322 bytes) from standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Exit with status 1 when the message went to the failed-mail queue.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        result = mail_ingest(raw=raw, source=InboundSource.PIPE)
        number = f" {result.message.record_number}" if result.message.record_number else ""
        self.stdout.write(f"{result.status}{number} {result.message.message_id}")
        if options["strict"] and result.status == InboundStatus.FAILED:
            self.stderr.write(result.message.error)
            sys.exit(1)
