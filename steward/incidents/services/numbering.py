"""Human reference numbers: INC-000001, INC-000002, ...

The last number per prefix lives in one ``NumberSequence`` row. Allocation increments it with
one ``UPDATE ... RETURNING`` in the creating transaction, which locks the row until commit on
PostgreSQL (SQLite runs write transactions one at a time in IMMEDIATE mode), so two incidents
created at once get distinct numbers and a rolled-back creation leaves no gap. The price is
that creations serialise on the row until they commit, which the audit chain's lock imposes
anyway. PostgreSQL sequences were considered: they never block, but leave gaps on rollback and
do not exist on SQLite. To keep that serialised stretch short, a creating service does its
reading first (routing, priority, SLA matching) and takes the number just before its writes.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.functions import Length

from steward.incidents.models import Incident, NumberSequence

PREFIX = "INC"


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}-{value:06d}"


def number_next(prefix: str = PREFIX) -> str:
    """Allocate the next number of ``prefix`` in the caller's transaction."""
    with transaction.atomic(savepoint=False):
        value = _increment(prefix)
        if value is None:
            # First use (or a database restored without the row): start after the highest
            # number in use. ignore_conflicts makes a concurrent first use wait, then lock.
            NumberSequence.objects.bulk_create(
                [NumberSequence(prefix=prefix, last_value=_highest_in_use(prefix))],
                ignore_conflicts=True,
            )
            value = _increment(prefix)
        if value is None:  # pragma: no cover - the row was just created
            raise RuntimeError(f"no number sequence for {prefix}")
        return format_number(prefix, value)


def _increment(prefix: str) -> int | None:
    """Add one to the prefix's last value and return it (None: no row yet)."""
    quote = connection.ops.quote_name
    table = quote(NumberSequence._meta.db_table)
    column = quote("last_value")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1 "  # noqa: S608 - names, not input
            f"WHERE {quote('prefix')} = %s RETURNING {column}",
            [prefix],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _highest_in_use(prefix: str) -> int:
    last = (
        Incident.objects.filter(number__startswith=f"{prefix}-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last.split("-", 1)[1]) if last else 0
