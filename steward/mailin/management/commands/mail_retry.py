"""Process messages of the failed-mail queue again (``steward mail retry [ID ...] | --all``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.mailin.selectors import failed_messages
from steward.mailin.services import mail_retry


class Command(BaseCommand):
    help = "Retry failed inbound messages by id, or all of them with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["ids"] and not options["all"]:
            raise CommandError("Name the messages to retry, or pass --all.")
        queue = failed_messages()
        if options["ids"]:
            queue = queue.filter(pk__in=options["ids"])
        for message in list(queue.order_by("pk")):
            result = mail_retry(message=message)
            number = f" {result.message.record_number}" if result.message.record_number else ""
            self.stdout.write(
                f"{message.pk} {result.status}{number} {result.message.error}".rstrip()
            )
