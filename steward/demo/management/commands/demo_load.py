"""``steward demo_load``: load the demo organisation (idempotent) and print the log-ins."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from steward.audit.context import source
from steward.demo.organisation import DEMO_PASSWORD, load


class Command(BaseCommand):
    help = "Load the retail-chain demo organisation (safe to run again) and print the demo log-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        with source("cli"), transaction.atomic():
            result = load()
        self.stdout.write(
            f"Demo data: {result.created} records created"
            if result.created
            else "Demo data already loaded; nothing duplicated."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD})")
        for account in result.accounts:
            self.stdout.write(f"  {account.username:<15} {account.role:<14} {account.description}")
        self.stdout.write("")
