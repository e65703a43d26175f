"""Human reference numbers of records (INC-000123, REQ-000045): unique, increasing with
creation, and taken without making concurrent creations wait for each other.

How a number is taken depends on the database:

- PostgreSQL: a sequence per prefix, created by the owning app's migration
  (``sequence_migration``). ``nextval`` never waits. An earlier design locked a counter row
  until the creating transaction committed, to be gap-free; every creation then queued behind
  the one before it until commit, which capped intake throughput. A creation that fails after
  taking its number leaves a gap. That is rare, because services validate before they take the
  number, and nothing relies on gap-free ticket numbers: the audit chain's gap-free ``seq``
  shows that nothing was removed.
- SQLite: the last number per prefix in a counter row (``prefix``, ``last_value``),
  incremented with one ``UPDATE ... RETURNING`` in the creating transaction. SQLite runs write
  transactions one at a time anyway (IMMEDIATE mode), so it is free and gap-free there. A
  missing row restarts after the highest number in use.

Loaders that write history in bulk reserve a block with ``reserve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, migrations, models, transaction
from django.db.models.functions import Length

# Every numbering, so tests can put each sequence back to 1 (``steward/conftest.py``).
NUMBERINGS: list[Numbering] = []


@dataclass(frozen=True)
class Numbering:
    """The numbers of one record type: ``prefix``, the PostgreSQL ``sequence``, the SQLite
    ``counter`` model (fields ``prefix`` and ``last_value``) and the ``record`` model (field
    ``number``), whose highest number a missing counter row restarts after."""

    prefix: str
    sequence: str
    counter: type[models.Model]
    record: type[models.Model]

    def __post_init__(self) -> None:
        NUMBERINGS.append(self)

    def format(self, value: int) -> str:
        return f"{self.prefix}-{value:06d}"

    def next(self) -> str:
        """The next number (taken in the caller's transaction on SQLite)."""
        return self.reserve(1)[0]

    def reserve(self, count: int) -> list[str]:
        """``count`` consecutive numbers. On PostgreSQL a block larger than one is consecutive
        only if nobody takes numbers meanwhile (loaders run alone)."""
        if count < 1:
            return []
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if count == 1:
                    cursor.execute("SELECT nextval(%s)", [self.sequence])
                else:
                    cursor.execute(
                        "SELECT setval(%s, nextval(%s) + %s - 1)",
                        [self.sequence, self.sequence, count],
                    )
                last = int(cursor.fetchone()[0])
        else:
            last = self._counter_add(count)
        return [self.format(n) for n in range(last - count + 1, last + 1)]

    def last(self) -> int:
        """The last number handed out (0: none yet)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END "  # noqa: S608
                    f"FROM {connection.ops.quote_name(self.sequence)}"
                )
                return int(cursor.fetchone()[0])
        row = self.counter._default_manager.filter(prefix=self.prefix).values_list(
            "last_value", flat=True
        )
        return int(row[0]) if row else 0

    def restart(self) -> None:
        """Hand out 1 next (tests; PostgreSQL sequences ignore transaction rollbacks)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, 1, false)", [self.sequence])

    def highest_in_use(self) -> int:
        return highest_number(self.record._default_manager.all(), self.prefix)

    def _counter_add(self, count: int) -> int:
        with transaction.atomic(savepoint=False):
            last = self._increment(count)
            if last is None:
                # First use (or a database restored without the row): start after the highest
                # number in use. ignore_conflicts makes a concurrent first use wait, then lock.
                self.counter._default_manager.bulk_create(
                    [self.counter(prefix=self.prefix, last_value=self.highest_in_use())],
                    ignore_conflicts=True,
                )
                last = self._increment(count)
            if last is None:  # pragma: no cover - the row was just created
                raise RuntimeError(f"no number counter for {self.prefix}")
            return last

    def _increment(self, count: int) -> int | None:
        quote = connection.ops.quote_name
        table = quote(self.counter._meta.db_table)
        column = quote("last_value")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = {column} + %s "  # noqa: S608 - names, not input
                f"WHERE {quote('prefix')} = %s RETURNING {column}",
                [count, self.prefix],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else None


def highest_number(records: models.QuerySet[Any], prefix: str) -> int:
    """The highest number of ``prefix`` among ``records`` (0: none): the longest, then the
    greatest, so that INC-1000000 comes after INC-999999."""
    last = (
        records.filter(number__startswith=f"{prefix}-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last.split("-", 1)[1]) if last else 0


def sequence_migration(
    *, app_label: str, prefix: str, sequence: str, counter: str, record: str
) -> migrations.RunPython:
    """The migration operation that creates ``sequence`` on PostgreSQL (nothing on SQLite),
    starting after the counter row's last value and the highest number in use."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        alias = schema_editor.connection.alias
        counter_model = apps.get_model(app_label, counter)
        record_model = apps.get_model(app_label, record)
        row = counter_model.objects.using(alias).filter(prefix=prefix).first()
        last = max(row.last_value if row else 0,
                   highest_number(record_model.objects.using(alias).all(), prefix))  # fmt: skip
        name = schema_editor.connection.ops.quote_name(sequence)
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} AS bigint")
        schema_editor.execute("SELECT setval(%s, %s, %s)", [sequence, max(last, 1), last > 0])

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            name = schema_editor.connection.ops.quote_name(sequence)
            schema_editor.execute(f"DROP SEQUENCE IF EXISTS {name}")

    return migrations.RunPython(create, drop)
