"""gunicorn settings used by ``steward serve``."""

import os

worker_class = "gthread"
threads = int(os.environ.get("STEWARD_WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = None
forwarded_allow_ips = os.environ.get("STEWARD_FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server: object, worker: object) -> None:
    """Drop a dead worker's live gauges from the shared metrics directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]
