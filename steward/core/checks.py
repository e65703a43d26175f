"""System checks run by ``steward check`` (Django's check framework, tag "steward").

The database checks carry Django's "database" tag, so they run only when asked for
(``steward check`` adds ``--database default``), not before every management command.
"""

from __future__ import annotations

from typing import Any

from django.core import checks


def _queue(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception as exc:  # noqa: BLE001 - any failure means the queue is unusable
        return [
            checks.Error(
                f"The job queue is not reachable: {exc}",
                hint="Check STEWARD_REDIS_URL (or that STEWARD_HOME is writable).",
                id="steward.E001",
            )
        ]
    return []


def _database(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if not databases:
        return []

    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return [
            checks.Error(
                f"The database is not reachable: {exc}",
                hint="Check STEWARD_DATABASE_URL.",
                id="steward.E002",
            )
        ]
    if unapplied:
        return [
            checks.Warning(
                f"{len(unapplied)} database migrations are not applied.",
                hint="Run: steward migrate",
                id="steward.W001",
            )
        ]
    return []


def register() -> None:
    checks.register(_queue, "steward")
    checks.register(_database, "steward", "database")
