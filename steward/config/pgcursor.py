"""The PostgreSQL cursor: parameters bound by the server, and only writes prepared.

psycopg prepares a statement once a connection has run it ``prepare_threshold`` times, and
PostgreSQL then caches its plan, switching to a generic plan (one for any values) when that
does not look dearer than the plans it made for the values given. For the writes Steward
repeats on every ticket (the incident, its clocks, their events and milestones, notification,
delivery, audit and outbox rows) that saves most of PostgreSQL's work per statement. For a
read a generic plan can be far worse than a custom one: a queue filtered on a rare status
among a million incidents, planned for an average status, walks the whole table. So reads
are never prepared: each is planned for its own values, as without preparing (ADR 0006).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql.base import ServerBindingCursor

WRITES = ("INSERT", "UPDATE", "DELETE")


class PreparedWritesCursor(ServerBindingCursor):  # type: ignore[misc]
    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, **kwargs: Any
    ) -> Any:
        if prepare is None and not is_write(query):
            prepare = False
        return super().execute(query, params, prepare=prepare, **kwargs)  # type: ignore[misc]


def is_write(query: Any) -> bool:
    return isinstance(query, str) and query.lstrip()[:6].upper() in WRITES
