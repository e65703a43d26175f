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


_job_tokens: dict[int, object] = {}


def mark_jobs_as_job_source() -> None:
    """Changes made inside a background job are recorded with source "job"."""
    import threading

    from huey.contrib.djhuey import HUEY

    @HUEY.pre_execute()  # type: ignore[untyped-decorator]
    def _enter(task: object) -> None:
        _job_tokens[threading.get_ident()] = _source.set(AuditSource.JOB)

    @HUEY.post_execute()  # type: ignore[untyped-decorator]
    def _leave(task: object, task_value: object, exc: object) -> None:
        token = _job_tokens.pop(threading.get_ident(), None)
        if token is not None:
            _source.reset(token)  # type: ignore[arg-type]
