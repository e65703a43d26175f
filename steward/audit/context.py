"""Where the current change comes from (portal, console, API, e-mail, job, CLI).

The web middleware, the job wrapper and the CLI set it; ``audit_record`` reads it when the
service does not name a source itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from steward.audit.models import AuditSource

_source: ContextVar[str] = ContextVar("steward_audit_source", default=AuditSource.SYSTEM)


def current_source() -> str:
    return _source.get()


@contextmanager
def source(value: str) -> Iterator[None]:
    token = _source.set(value)
    try:
        yield
    finally:
        _source.reset(token)


def source_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return AuditSource.API
    if path.startswith("/portal/"):
        return AuditSource.PORTAL
    return AuditSource.CONSOLE
