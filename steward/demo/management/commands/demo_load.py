"""``steward demo_load``: load the demo organisation (idempotent) and print the log-ins."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from steward.audit.context import source
from steward.demo.organisation import DEMO_PASSWORD, load


class Command(BaseCommand):
    help = "Load the retail-chain demo organisation (safe to run again) and print the demo log-ins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--history-days", type=int, default=730, help="days of service desk history"
        )
        parser.add_argument(
            "--history-scale",
            type=float,
            default=1.0,
            help="1: about 20,000 incidents in two years; 0: no history",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with source("cli"), transaction.atomic():
            result = load(
                history_days=options["history_days"], history_scale=options["history_scale"]
            )
        self.stdout.write(
            f"Demo data: {result.created} records created"
            if result.created
            else "Demo data already loaded; nothing duplicated."
        )
        for name, written in result.history.items():
            if written:
                self.stdout.write(f"  history: {name.removeprefix('load_')}: {written}")
        self.stdout.write("")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD})")
        for account in result.accounts:
            self.stdout.write(f"  {account.username:<15} {account.role:<14} {account.description}")
        self.stdout.write("")
