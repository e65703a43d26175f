"""Human reference numbers: INC-000001, INC-000002, ...

The last number per prefix lives in one ``NumberSequence`` row. Allocation locks that row
(``SELECT ... FOR NO KEY UPDATE`` on PostgreSQL; SQLite runs write transactions one at a time in
IMMEDIATE mode) and increments it in the creating transaction, so two incidents created at once
get distinct numbers and a rolled-back creation leaves no gap. The price is that creations
serialise on the row until they commit, which the audit chain's lock imposes anyway.
PostgreSQL sequences were considered: they never block, but leave gaps on rollback and do not
exist on SQLite. To keep that serialised stretch short, a creating service inserts its row with
a ``provisional_number`` (unique, never committed), does its slower work, and takes the real
number last, just before the audit entry (which serialises on the chain lock anyway).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models.functions import Length

from steward.incidents.models import Incident, NumberSequence

PREFIX = "INC"


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}-{value:06d}"


def provisional_number() -> str:
    """A unique placeholder for a row whose number is allocated later in its transaction."""
    return f"~{secrets.token_hex(9)}"


def number_next(prefix: str = PREFIX) -> str:
    """Allocate the next number of ``prefix`` in the caller's transaction."""
    with transaction.atomic():
        rows = NumberSequence.objects.select_for_update(no_key=True)
        row = rows.filter(prefix=prefix).first()
        if row is None:
            # First use (or a database restored without the row): start after the highest
            # number in use. ignore_conflicts makes a concurrent first use wait, then lock.
            NumberSequence.objects.bulk_create(
                [NumberSequence(prefix=prefix, last_value=_highest_in_use(prefix))],
                ignore_conflicts=True,
            )
            row = rows.get(prefix=prefix)
        row.last_value += 1
        row.save(update_fields=["last_value"])
        return format_number(prefix, row.last_value)


def _highest_in_use(prefix: str) -> int:
    last = (
        Incident.objects.filter(number__startswith=f"{prefix}-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last.split("-", 1)[1]) if last else 0
