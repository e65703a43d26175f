"""Run the LMTP (default) or SMTP receiver until stopped; the mail server delivers to it."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from steward.audit.context import source
from steward.audit.models import AuditSource
from steward.mailin.receiving.lmtp import receiver


class Command(BaseCommand):
    help = "Receive mail over LMTP (or SMTP with --smtp) and ingest every message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8024)
        parser.add_argument("--smtp", action="store_true", help="Speak SMTP instead of LMTP.")
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            help="Accept recipients of this domain only (repeatable; default: any).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        controller = receiver(
            host=options["host"],
            port=options["port"],
            lmtp=not options["smtp"],
            domains=tuple(options["domain"]),
        )
        with source(AuditSource.EMAIL):
            controller.start()
            protocol = "SMTP" if options["smtp"] else "LMTP"
            self.stdout.write(f"Receiving {protocol} on {options['host']}:{options['port']}.")
            try:
                stop.wait()
            except KeyboardInterrupt:
                pass
            finally:
                controller.stop()
