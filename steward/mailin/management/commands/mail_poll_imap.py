"""Poll the service desk's IMAP mailbox once (``steward mail poll``; the worker also polls it
every minute when STEWARD_IMAP_HOST is set)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.mailin.receiving.imap import imap_poll, imap_settings


class Command(BaseCommand):
    help = "Fetch unseen messages from the IMAP mailbox and ingest them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        config = imap_settings()
        if config is None:
            raise CommandError("STEWARD_IMAP_HOST is not set.")
        results = imap_poll(config, limit=options["limit"])
        for result in results:
            number = f" {result.message.record_number}" if result.message.record_number else ""
            self.stdout.write(f"{result.status}{number} {result.message.message_id}")
        self.stdout.write(f"{len(results)} message(s) ingested.")
