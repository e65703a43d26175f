"""Human reference numbers: INC-000001, INC-000002, ...

Numbers are unique and increase with creation. How they are taken depends on the database:

- PostgreSQL: the sequence ``incidents_number_inc`` (migration ``incidents/0009``).
  ``nextval`` never waits, so concurrent creations do not queue behind one another until
  commit, as they did with a locked counter row (which made intake scale with the length of
  the creating transaction). The price: a creation that fails after taking its number leaves
  a gap. Validation runs before the number is taken, so that is rare, and nothing depends on
  numbers being gap-free (the audit chain's ``seq`` is what proves nothing was removed).
- SQLite: the last number per prefix in one ``NumberSequence`` row, incremented with one
  ``UPDATE ... RETURNING`` in the creating transaction. SQLite runs write transactions one at
  a time anyway (IMMEDIATE mode), so this costs nothing and leaves no gap.

A creating service does its reading first (routing, priority, SLA matching) and takes the
number just before its writes. Loaders that write history in bulk reserve a block with
``numbers_reserve``.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models.functions import Length

from steward.incidents.models import Incident, NumberSequence

PREFIX = "INC"
# The PostgreSQL sequence of each prefix (created by migration).
SEQUENCES = {PREFIX: "incidents_number_inc"}


def format_number(prefix: str, value: int) -> str:
    return f"{prefix}-{value:06d}"


def _uses_sequence(prefix: str) -> bool:
    return connection.vendor == "postgresql" and prefix in SEQUENCES


def number_next(prefix: str = PREFIX) -> str:
    """Allocate the next number of ``prefix`` (in the caller's transaction on SQLite)."""
    return numbers_reserve(1, prefix)[0]


def numbers_reserve(count: int, prefix: str = PREFIX) -> list[str]:
    """Allocate ``count`` consecutive numbers of ``prefix``. On PostgreSQL a block larger
    than one is consecutive only if nobody else takes numbers meanwhile (loaders run alone)."""
    if count < 1:
        return []
    if _uses_sequence(prefix):
        with connection.cursor() as cursor:
            if count == 1:
                cursor.execute("SELECT nextval(%s)", [SEQUENCES[prefix]])
            else:
                cursor.execute(
                    "SELECT setval(%s, nextval(%s) + %s - 1)",
                    [SEQUENCES[prefix], SEQUENCES[prefix], count],
                )
            last = int(cursor.fetchone()[0])
    else:
        with transaction.atomic(savepoint=False):
            last_or_none = _increment(prefix, count)
            if last_or_none is None:
                # First use (or a database restored without the row): start after the highest
                # number in use. ignore_conflicts makes a concurrent first use wait, then lock.
                NumberSequence.objects.bulk_create(
                    [NumberSequence(prefix=prefix, last_value=_highest_in_use(prefix))],
                    ignore_conflicts=True,
                )
                last_or_none = _increment(prefix, count)
            if last_or_none is None:  # pragma: no cover - the row was just created
                raise RuntimeError(f"no number sequence for {prefix}")
            last = last_or_none
    return [format_number(prefix, n) for n in range(last - count + 1, last + 1)]


def number_last(prefix: str = PREFIX) -> int:
    """The last number handed out (0: none yet); for checks and tests."""
    if _uses_sequence(prefix):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END "  # noqa: S608 - name
                f"FROM {SEQUENCES[prefix]}"
            )
            return int(cursor.fetchone()[0])
    row = NumberSequence.objects.filter(prefix=prefix).values_list("last_value", flat=True)
    return int(row[0]) if row else 0


def _increment(prefix: str, count: int = 1) -> int | None:
    """Add ``count`` to the prefix's last value and return it (None: no row yet)."""
    quote = connection.ops.quote_name
    table = quote(NumberSequence._meta.db_table)
    column = quote("last_value")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + %s "  # noqa: S608 - names, not input
            f"WHERE {quote('prefix')} = %s RETURNING {column}",
            [count, prefix],
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
