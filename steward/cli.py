"""The ``steward`` command: run the demo, serve, work, migrate and administer.

steward demo            install data, load the demo organisation, serve on :8000 with workers
steward serve           several web workers (gunicorn) (+ embedded job consumer without Redis)
steward worker          job consumers (any number of these processes with STEWARD_REDIS_URL)
steward migrate         apply database migrations
steward createadmin     create an administrator
steward check           configuration, database, queue and calendar checks
steward audit verify    recompute the audit hash chain
steward mail ingest     read one message from standard input (also: poll, receive, retry)
steward <django command> any Django management command
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

SETTINGS = "steward.config.settings.base"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    from steward.config.env import ConfigError

    try:
        django.setup()
    except ConfigError as exc:
        print(f"steward: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _children_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    env["STEWARD_HOME"] = str(home)
    prom = home / "prometheus"
    shutil.rmtree(prom, ignore_errors=True)
    prom.mkdir(parents=True, exist_ok=True)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(prom)
    return env


def _run_processes(commands: list[list[str]], env: dict[str, str]) -> int:
    """Start the processes, stop them all when one ends or on Ctrl-C / SIGTERM."""
    processes = [subprocess.Popen(cmd, env=env) for cmd in commands]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    codes = [p.returncode or 0 for p in processes]
    return 0 if stopping else max(codes)


def _server_commands(bind: str, workers: int, with_consumer: bool) -> list[list[str]]:
    bin_dir = Path(sys.executable).parent
    gunicorn = str(bin_dir / "gunicorn") if (bin_dir / "gunicorn").exists() else "gunicorn"
    commands = [
        [
            gunicorn,
            "steward.config.wsgi:application",
            "--config",
            "python:steward.config.gunicorn",
            "--bind",
            bind,
            "--workers",
            str(workers),
        ]
    ]
    if with_consumer:
        commands.append([sys.executable, "-m", "steward.cli", "worker"])
    return commands


def _option(args: list[str], name: str, default: str) -> str:
    if name in args:
        index = args.index(name)
        if index + 1 < len(args):
            return args[index + 1]
    return default


def cmd_serve(args: list[str], *, demo: bool = False) -> int:
    from django.conf import settings

    home = Path(settings.STEWARD_HOME)
    bind = _option(args, "--bind", os.environ.get("STEWARD_BIND", "127.0.0.1:8000"))
    workers = int(_option(args, "--workers", os.environ.get("STEWARD_WEB_WORKERS", "3")))
    _manage("migrate", "--no-input", "--verbosity", "0")
    if demo:
        _manage("demo_load")
    with_consumer = settings.REDIS_URL is None
    print(
        f"Steward is serving on http://{bind}/ with {workers} web workers"
        + (" and an embedded job consumer" if with_consumer else "")
        + ". Press Ctrl-C to stop.",
        flush=True,
    )
    return _run_processes(_server_commands(bind, workers, with_consumer), _children_env(home))


def cmd_worker(args: list[str]) -> int:
    workers = _option(args, "--workers", os.environ.get("STEWARD_JOB_WORKERS", "2"))
    from steward.audit.context import source

    with source("job"):
        _manage("run_huey", "--workers", workers, "--worker-type", "thread")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = args[0], args[1:]
    _setup()
    if command == "demo":
        return cmd_serve(rest, demo=True)
    if command == "serve":
        return cmd_serve(rest)
    if command == "worker":
        return cmd_worker(rest)
    if command == "check" and "--database" not in rest:
        rest = [*rest, "--database", "default"]
    mail = {"ingest": "mail_ingest", "poll": "mail_poll_imap", "receive": "mail_receive",
            "retry": "mail_retry"}
    if command == "mail" and rest[:1] and rest[0] in mail:
        command, rest = mail[rest[0]], rest[1:]
    if command == "audit" and rest[:1] == ["verify"]:
        command, rest = "audit_verify", rest[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["steward", command, *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
