"""The job queue seen from the code that uses it: enqueueing, batching, failure metrics.

``enqueue(task, *args, eta=None)`` puts a Huey job on the queue. Inside ``jobs_batched()``
(every web request runs in one, ``JobBatchMiddleware``) the jobs are held until the block
ends and then sent together: on Redis, one ``LPUSH`` carries them all, so a new incident's
triage, delivery and SLA milestone jobs cost one round trip instead of five. The jobs are
enqueued by on-commit callbacks, so a rolled-back transaction or savepoint adds none.

Every job enqueued here works on an outbox row (``core.outbox``): what a crash between commit
and the end of the block loses, or a queue that cannot be reached, the periodic sweep
re-enqueues from the rows. So a failed send is logged, not raised: the business change has
committed, and the person who made it must not see an error and try again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from steward.core.metrics import JOB_FAILURES

logger = logging.getLogger(__name__)

# (the task's Huey, the job) pairs held by the current ``jobs_batched`` block
_held: ContextVar[list[tuple[Any, Any]] | None] = ContextVar("steward_jobs_held", default=None)


def enqueue(task: Any, *args: Any, eta: datetime | None = None) -> None:
    """Enqueue Huey task ``task`` with ``args`` (at ``eta``, if given): now, or at the end of
    the enclosing ``jobs_batched()`` block."""
    job = task.s(*args, eta=eta) if eta is not None else task.s(*args)
    held = _held.get()
    if held is None:
        _send([(task.huey, job)])
    else:
        held.append((task.huey, job))


@contextmanager
def jobs_batched() -> Iterator[None]:
    """Hold the jobs enqueued in the block and send them together when it ends (also when it
    raises: they belong to transactions that committed). Nested blocks join the outer one."""
    if _held.get() is not None:
        yield
        return
    held: list[tuple[Any, Any]] = []
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        if held:
            _send(held)


def _send(held: list[tuple[Any, Any]]) -> None:
    if held[0][0].immediate:  # jobs run here (tests): let their errors show
        _push(held)
        return
    try:
        _push(held)
    except Exception:  # noqa: BLE001 - the sweep re-enqueues from the rows
        logger.exception(
            "%d job(s) not enqueued (%s); the outbox sweep will enqueue them from their rows",
            len(held),
            ", ".join(sorted({job.name for _huey, job in held})),
        )


def _push(held: list[tuple[Any, Any]]) -> None:
    from huey.signals import SIGNAL_ENQUEUED
    from huey.storage import RedisStorage

    huey = held[0][0]
    storage = huey.storage
    if (
        huey.immediate
        or type(storage) is not RedisStorage
        or any(h is not huey or job.priority for h, job in held)
    ):
        for h, job in held:
            h.enqueue(job)
        return
    # What Huey.enqueue does for each job, with the pushes in one command, in order (the
    # consumer pops from the other end of the list).
    messages = []
    for _h, job in held:
        if job.expires:
            job.resolve_expires(huey.utc)
        huey._emit(SIGNAL_ENQUEUED, job)
        messages.append(huey.serialize_task(job))
    storage.conn.lpush(storage.queue_key, *messages)


def connect_metrics() -> None:
    from huey.contrib.djhuey import HUEY
    from huey.signals import SIGNAL_ERROR

    @HUEY.signal(SIGNAL_ERROR)  # type: ignore[untyped-decorator]
    def count_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
        JOB_FAILURES.labels(task.name).inc()
