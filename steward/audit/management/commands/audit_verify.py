"""``steward audit verify``: recompute the audit hash chain and report the first bad entry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from steward.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain; "
        "report the first altered, inserted or missing entry."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.finding is None:
            self.stdout.write(f"audit chain intact: {result.checked} entries verified")
            return
        raise CommandError(
            f"audit chain broken at entry {result.finding.seq} ({result.finding.kind}): "
            f"{result.finding.detail}; {result.checked} entries verified before it"
        )
