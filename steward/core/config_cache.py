"""Configuration read on every ticket, kept per process and checked against the database.

Routing rules, the priority matrix, the incident policy, a service's agreements with their
metrics, site-group memberships and message templates change rarely, but every new ticket
reads them. ``cached(key, build, watch=...)`` keeps what ``build`` returned, per process, with
the *configuration stamp* it was built at, and hands it out again while the stamp is the same.

The stamp is one row (``core.ConfigStamp``). A database trigger on every watched table
(``WatchConfig`` in the owning app's migration) sets it to a new random value in the same
statement as any insert, update or delete there, whoever writes: a service, the admin, a bulk
update, raw SQL, another process or another machine. So it changes exactly when the
configuration does, it commits or rolls back with the change, and a stamp from a rolled-back
transaction is never seen again (it is random, not counted). The database stays the source of
truth: each use costs reading one small row instead of the configuration itself.

``config_snapshot()`` reads the stamp once for a block (a service's reading phase), so several
cached reads in it cost one query. Without it each ``cached`` call reads the stamp.

Cached values are shared by the threads of a process: callers must treat them as read-only.
When a watched table has lost its trigger (found once per process; e.g. a table rebuilt by a
later migration on SQLite), ``cached`` logs an error and builds every time instead: slower,
never stale. A test checks that every watched table has its trigger after all migrations.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection, models
from django.db.migrations.operations.base import Operation

logger = logging.getLogger(__name__)

T = TypeVar("T")
TRIGGER = "steward_config_stamp"
MAX_ENTRIES = 4096

_entries: dict[Hashable, tuple[int, Any]] = {}
_lock = threading.Lock()
_snapshot: ContextVar[int | None] = ContextVar("steward_config_snapshot", default=None)
# Per process: watched tables known to have their trigger, and those found without one.
_checked: set[str] = set()
_unwatched: set[str] = set()


def read_stamp() -> int | None:
    """The current configuration stamp (None: no stamp row, so nothing may be cached)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stamp FROM core_configstamp WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else None


@contextmanager
def config_snapshot() -> Iterator[None]:
    """Read the stamp once for the block: the cached reads inside use it (nested: the outer
    block's)."""
    if _snapshot.get() is not None:
        yield
        return
    stamp = read_stamp()
    token = _snapshot.set(stamp)
    try:
        yield
    finally:
        _snapshot.reset(token)


def cached(
    key: Hashable,
    build: Callable[[], T],
    *,
    watch: Iterable[type[models.Model]],
    snapshot_only: bool = False,
) -> T:
    """``build()``'s value for ``key``, from this process's cache while the configuration
    stamp has not moved since it was built. ``watch``: the models ``build`` reads (each must
    be watched by a ``WatchConfig`` migration); used to make sure their triggers exist.
    ``snapshot_only``: outside a ``config_snapshot`` just build (for a build as cheap as
    reading the stamp, such as one small query)."""
    stamp = _snapshot.get()
    if stamp is None and snapshot_only:
        return build()
    if not _watched(watch):
        return build()
    if stamp is None:
        stamp = read_stamp()
    if stamp is None:
        return build()
    hit = _entries.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (stamp, value)
    return value


def clear() -> None:
    """Forget every cached value (tests; never needed for correctness)."""
    with _lock:
        _entries.clear()
        _checked.clear()
        _unwatched.clear()


def _watched(watch: Iterable[type[models.Model]]) -> bool:
    wanted = {model._meta.db_table for model in watch}
    if wanted & _unwatched:
        return False
    missing = wanted - _checked
    if not missing:
        return True
    found = triggered_tables()
    _checked.update(missing & found)
    lost = missing - found
    if lost:
        _unwatched.update(lost)
        logger.error(
            "configuration tables without their change trigger, not cached: %s",
            ", ".join(sorted(lost)),
        )
        return False
    return True


def triggered_tables() -> set[str]:
    """The tables that carry the configuration stamp's trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [TRIGGER],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER}_%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    # Each SQLite table has three (insert, update, delete); count it only when all are there.
    return {name for name in set(names) if names.count(name) == len(_SQLITE_EVENTS)}


_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION steward_config_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_configstamp SET stamp = floor(random() * 9007199254740991)::bigint WHERE id = 1;
    RETURN NULL;
END
$$
"""


def _check_vendor(vendor: str) -> None:
    if vendor not in ("postgresql", "sqlite"):
        raise ValueError(f"Steward runs on PostgreSQL and SQLite, not {vendor}")


def install_sql(vendor: str, table: str) -> list[str]:
    """The statements that make writes to ``table`` move the stamp."""
    _check_vendor(vendor)
    if vendor == "postgresql":
        return [
            _PG_FUNCTION,
            f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"',
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
        ]
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{TRIGGER}_{table}_{event.lower()}" '  # noqa: S608
        f'AFTER {event} ON "{table}" BEGIN '
        "UPDATE core_configstamp SET stamp = random() WHERE id = 1; END"
        for event in _SQLITE_EVENTS
    ]


def remove_sql(vendor: str, table: str) -> list[str]:
    _check_vendor(vendor)
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"']
    return [f'DROP TRIGGER IF EXISTS "{TRIGGER}_{table}_{e.lower()}"' for e in _SQLITE_EVENTS]


class WatchConfig(Operation):
    """Migration operation: writes to these tables move the configuration stamp.

    Used in the migration of the app that owns the tables, after ``core``'s first migration.
    A later migration that rebuilds a watched table (SQLite does for many field changes) must
    run ``WatchConfig`` for it again; the trigger test catches a forgotten one.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, *tables: str) -> None:
        self.tables = tables

    def deconstruct(self) -> tuple[str, list[str], dict[str, Any]]:
        return (self.__class__.__qualname__, list(self.tables), {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        """No model state changes: triggers only."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for table in self.tables:
            for sql in install_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for table in self.tables:
            for sql in remove_sql(schema_editor.connection.vendor, table):
                schema_editor.execute(sql)

    def describe(self) -> str:
        return f"Move the configuration stamp on writes to {', '.join(self.tables)}"
