"""``steward createadmin``: create an administrator (prompts for what is not given)."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.audit.context import source
from steward.core.errors import DomainError
from steward.identity.models import Role
from steward.identity.services import person_create


class Command(BaseCommand):
    help = "Create a Steward administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--name")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="read from a prompt when omitted")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"] or input("User name: ").strip()
        name = options["name"] or username
        password = options["password"] or getpass.getpass("Password: ")
        try:
            with source("cli"):
                person = person_create(
                    actor=None,
                    username=username,
                    name=name,
                    email=options["email"],
                    password=password,
                    roles=[Role.ADMINISTRATOR, Role.AGENT],
                    is_staff=True,
                )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"administrator {person.username} created")
