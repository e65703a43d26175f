"""Real ``steward worker`` processes for tests, on the test database and a per-test queue.

The test process enqueues into the same queue as its workers by pointing the Django Huey
instance at that queue's storage for the duration of a test (``use_queue``), so that calling a
task or ``outbox.sweep()`` in the test goes to the workers instead of running in-process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from huey.contrib import djhuey

import steward

REPO_DIR = Path(steward.__file__).resolve().parent.parent
READY_LINE = "Huey consumer started"


def wait_until(
    predicate: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    interval: float = 0.05,
    log: Callable[[], str] = str,
) -> None:
    """Poll ``predicate`` until it holds; fail the test naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{log()}")
        time.sleep(interval)


def redis_reachable(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def worker_database_url() -> str:
    """STEWARD_DATABASE_URL of the test database this process is using."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        credentials = f"{user}{password}@" if user else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgresql://{credentials}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"
    raise RuntimeError(f"worker tests support SQLite and PostgreSQL, not {connection.vendor}")


@dataclass(frozen=True)
class Queue:
    """One test's job queue: its name, its storage (SQLite file or Redis) and a Huey on it."""

    name: str
    redis_url: str | None
    huey: Huey

    @classmethod
    def create(cls, redis_url: str | None) -> Queue:
        """Build the queue the way the settings do for the same environment."""
        name = f"test-{uuid.uuid4().hex[:12]}"
        if redis_url:
            return cls(name, redis_url, RedisHuey(name, url=redis_url, utc=True))
        filename = str(Path(settings.STEWARD_HOME) / "tasks.sqlite3")
        return cls(name, None, SqliteHuey(name, filename=filename, utc=True))

    def worker_env(self, *, lease_seconds: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "STEWARD_REDIS_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="steward.config.settings.test",
            STEWARD_HUEY_IMMEDIATE="0",
            STEWARD_HOME=str(settings.STEWARD_HOME),
            STEWARD_QUEUE_NAME=self.name,
            STEWARD_DATABASE_URL=worker_database_url(),
            STEWARD_OUTBOX_LEASE_SECONDS=str(lease_seconds),
            PYTHONUNBUFFERED="1",
            # The consumer's start line (READY_LINE) is logged at INFO; keep it visible
            # whatever level the "huey" logger is configured with.
            STEWARD_LOG_LEVEL="DEBUG",
        )
        if self.redis_url:
            env["STEWARD_REDIS_URL"] = self.redis_url
        return env


@contextmanager
def fresh_queue(redis_url: str | None) -> Iterator[Queue]:
    """A new queue (on Redis at ``redis_url``, else the SQLite job storage) that this
    process's task calls go to while in the block; emptied afterwards. Skips the test when
    no Redis server answers."""
    if redis_url and not redis_reachable(redis_url):
        pytest.skip(f"no Redis server reachable at {redis_url}: the Redis-queue variant needs one")
    created = Queue.create(redis_url)
    try:
        with use_queue(created):
            yield created
    finally:
        created.huey.storage.flush_all()


@contextmanager
def use_queue(queue: Queue) -> Iterator[None]:
    """Send this process's task calls to ``queue`` (not run in-process) while in the block."""
    huey = djhuey.HUEY
    immediate, storage = huey.immediate, huey.storage
    huey.immediate = False
    huey.storage = queue.huey.storage
    try:
        yield
    finally:
        huey.immediate = immediate
        huey.storage = storage


class Worker:
    """One ``steward worker`` process; its output goes to a log file read for readiness."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "steward.cli", "worker", "--workers", "2"],
                env=env,
                cwd=REPO_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid = self.process.pid
        self.interrupted = False

    def log(self) -> str:
        return f"--- worker {self.pid} log ---\n{self.log_path.read_text(errors='replace')}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 20) -> None:
        def ready() -> bool:
            if not self.alive():
                raise AssertionError(f"worker exited with {self.process.returncode}\n{self.log()}")
            return READY_LINE in self.log_path.read_text(errors="replace")

        wait_until(ready, timeout=timeout, what=f"worker {self.pid} to start", log=self.log)

    def kill(self) -> None:
        """SIGKILL the worker (one process: its job threads die with it): no clean-up at all."""
        if self.alive():
            self.process.kill()
        self.process.wait(timeout=10)

    def interrupt(self) -> None:
        """Ask for a graceful stop (SIGINT): the consumer lets running jobs finish, then exits."""
        if self.alive() and not self.interrupted:
            self.process.send_signal(signal.SIGINT)
            self.interrupted = True

    def stop(self, timeout: float = 15) -> None:
        """Graceful stop, waited for; SIGKILL and fail if it takes longer than ``timeout``."""
        self.interrupt()
        if self.alive():
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(f"worker did not stop in {timeout} s\n{self.log()}") from None
