"""System checks run by ``steward check`` (Django's check framework, tag "steward")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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


def _email(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        return [
            checks.Info(
                f"Outbound e-mail is written to files in {settings.EMAIL_FILE_PATH}.",
                hint="Set STEWARD_EMAIL_HOST to send through an SMTP server.",
                id="steward.I001",
            )
        ]
    return []


def register() -> None:
    checks.register(_queue, "steward")
    checks.register(_database, "steward", "database")
    checks.register(_email, "steward")
