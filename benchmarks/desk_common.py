"""Shared by the service desk benchmarks: a fresh PostgreSQL database with the demo
organisation and catalogue, a production-style server (gunicorn with ``steward/config/
gunicorn.py``), and a bounded loopback load generator (threads, keep-alive ``http.client``).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def prepare_postgres(default_name: str) -> str:
    """Create the benchmark database afresh; return its URL. PostgreSQL only."""
    url = os.environ.get("STEWARD_DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"postgresql://postgres@127.0.0.1:5432/{default_name}"
        os.environ["STEWARD_DATABASE_URL"] = url
    os.environ.setdefault("STEWARD_HOME", tempfile.mkdtemp(prefix="stw-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.config.settings.base")
    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_postgres(url: str) -> None:
    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_organisation() -> None:
    """Migrate, then the demo organisation and catalogue (300 stores, teams, SLAs)."""
    from django.core.management import call_command
    from django.db import transaction

    from steward.audit.context import source
    from steward.demo import catalogue
    from steward.demo.organisation import DemoResult, load_departments_and_sites, load_people

    call_command("migrate", verbosity=0)
    with source("cli"), transaction.atomic():
        result = DemoResult()
        load_people(load_departments_and_sites(result), result)
        catalogue.load()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """gunicorn as ``steward serve`` runs it (without the job consumer), on a free port."""

    def __init__(self, *, workers: int, threads: int) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "STEWARD_WEB_THREADS": str(threads),
            "STEWARD_API_RATE_TOKEN": "100000000/min",
            "STEWARD_API_RATE_ADDRESS": "100000000/min",
        }
        prom = Path(env["STEWARD_HOME"]) / "prometheus"
        prom.mkdir(parents=True, exist_ok=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = str(prom)
        self.log = open(Path(env["STEWARD_HOME"]) / "server.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and config
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(ROOT / "steward/config/gunicorn.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--error-logfile",
                os.path.join(env["STEWARD_HOME"], "gunicorn.log"),
                "steward.config.wsgi:application",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        stop_group(self.process, signal.SIGTERM)
        self.log.close()


class Consumer:
    """``manage.py run_huey`` with one worker thread (as ``steward worker`` runs it), beside
    the server, with the same environment."""

    def __init__(self) -> None:
        self.log = open(Path(os.environ["STEWARD_HOME"]) / "consumer.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(ROOT / "manage.py"), "run_huey", "--workers", "1",
             "--worker-type", "thread"],
            cwd=ROOT, env=dict(os.environ), stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        stop_group(self.process, signal.SIGINT)
        self.log.close()


def stop_group(process: subprocess.Popen[bytes], first: signal.Signals) -> None:
    """Stop a process started in its own session, and its children: ``first``, then a kill
    after 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, first)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000


def merged(name: str, parts: list[Result]) -> Result:
    """One result from slices of the same load (requests and seconds add up)."""
    result = Result(name, sum(p.seconds for p in parts))
    for part in parts:
        result.latencies.extend(part.latencies)
        result.errors += part.errors
    return result


Make = Callable[[int, int], tuple[str, str, bytes | None, dict[str, str]]]


def load(
    port: int, name: str, make: Make, *, clients: int, seconds: float, expect: int = 200
) -> Result:
    """``clients`` threads on keep-alive connections send ``make(client, n)`` requests for
    ``seconds``; latencies of the expected status count, anything else is an error."""
    result = Result(name, seconds)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(client: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors, n = [], 0, 0
        while time.monotonic() < stop_at:
            method, path, body, headers = make(client, n)
            n += 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == expect
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, rule, *body])
