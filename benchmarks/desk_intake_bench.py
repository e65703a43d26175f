"""Incident intake over the API, served as in production, next to trivial endpoints.

Run: ``.venv/bin/python benchmarks/desk_intake_bench.py [--seconds S] [--clients N]
[--workers W] [--threads T]``. PostgreSQL only: ``STEWARD_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/bench_intake``) is created fresh and dropped afterwards.

The database holds the demo organisation and catalogue (300 stores, teams, the SLAs and OLAs
of the retail chain). gunicorn runs with ``steward/config/gunicorn.py`` (gthread workers, as
``steward serve``; the job consumer is not needed for intake). A service desk agent's
read-write token raises incidents on behalf of store managers through
``POST /api/v1/incidents``: each one takes a number (a PostgreSQL sequence), writes the
incident, its SLA clocks with their events and milestones, the acknowledgement notification
rows and last its audit entries (hash chain), in one transaction; the incident's triage
(assignment by the team's strategy, the major-incident check) is a row written with it and a
job after commit. With
``--consumer`` a job consumer (one worker) runs beside the server on the same cores, so the
triage jobs' work competes with intake as in production; the table then counts the triage rows
done. The job queue and cache are Redis, as in
production (``--redis``; empty for the embedded SQLite queue, where every enqueue is a SQLite
commit serialised across workers). The same server, in the same run and with the same
client threads, answers ``GET /healthz`` (no database) and ``GET /api/v1/incidents/priority-
matrix`` (token authentication, throttle, nine rows). Goal: intake requests/s at least 25 %
of the trivial API endpoint's. The endpoints take turns in ``--rounds`` slices of
``seconds / rounds`` each, so that a machine whose speed drifts (a shared VM) slows them alike;
the table adds the slices up and the ratio of each round is printed too. Exits 1 if the goal
fails or a request errs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

from desk_common import (
    Consumer,
    Result,
    Server,
    drop_postgres,
    load,
    load_organisation,
    merged,
    prepare_postgres,
    table,
)

GOAL = 0.25


def _setup() -> tuple[str, list[int], dict[str, int]]:
    from steward.catalogue.models import Service
    from steward.identity.models import Person, SiteKind
    from steward.identity.services.tokens import token_create

    load_organisation()
    agent = Person.objects.get(username="desk.agent")
    _token, secret = token_create(actor=agent, name="bench", scope="read_write")
    managers = list(Person.objects.filter(site__kind=SiteKind.STORE).values_list("pk", flat=True))
    services = dict(Service.objects.filter(code__in=["POS", "STORE-NET", "MEMBER", "PRINT"])
                    .values_list("code", "pk"))  # fmt: skip
    return secret, managers, services


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint, all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=4.0, help="seconds per endpoint, before")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--consumer",
        action="store_true",
        help="run a job consumer (1 worker) beside the server, so triage jobs run meanwhile",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("STEWARD_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="the job queue and cache as in production; empty: the embedded SQLite queue",
    )
    args = parser.parse_args()
    url = prepare_postgres("bench_intake")
    queue = _redis_prepare(args.redis)

    import django

    django.setup()
    started = time.perf_counter()
    secret, managers, services = _setup()
    from django.db import connections

    connections.close_all()
    setup_seconds = time.perf_counter() - started
    auth = {"Authorization": f"Bearer {secret}"}
    codes = sorted(services)

    def trivial(_client: int, _n: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/healthz", None, {}

    def matrix(_client: int, _n: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        return "GET", "/api/v1/incidents/priority-matrix", None, auth

    def intake(client: int, n: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        rng = random.Random(client * 1_000_003 + n)  # noqa: S311 - benchmark data
        body = {
            "title": f"收银机无法结账 {client}-{n}",
            "description": "收银软件结账时卡住，顾客在排队。",
            "service_id": services[rng.choice(codes)],
            "requester_id": rng.choice(managers),
            "impact": rng.randint(1, 3),
            "urgency": rng.randint(1, 3),
            "channel": "phone",
        }
        headers = {**auth, "Content-Type": "application/json"}
        return "POST", "/api/v1/incidents", json.dumps(body).encode(), headers

    server = Server(workers=args.workers, threads=args.threads)
    consumer = Consumer() if args.consumer else None
    try:
        # As on a server that has been up for a while: every worker thread's connection has
        # prepared its statements (after 5 runs each) and every process holds the
        # configuration cache, for both endpoints.
        for make, expect in ((intake, 201), (matrix, 200)):
            load(server.port, "warm-up", make, clients=args.clients, seconds=args.warmup,
                 expect=expect)  # fmt: skip
        endpoints = [
            ("GET /healthz", trivial, 200),
            ("GET /api/v1/incidents/priority-matrix", matrix, 200),
            ("POST /api/v1/incidents", intake, 201),
        ]
        slices: list[list[Result]] = [[] for _ in endpoints]
        piece = args.seconds / max(1, args.rounds)
        for _round in range(max(1, args.rounds)):
            for i, (name, make, expect) in enumerate(endpoints):
                slices[i].append(
                    load(server.port, name, make, clients=args.clients, seconds=piece,
                         expect=expect)
                )  # fmt: skip
        results = [
            merged(name, parts)
            for (name, _make, _expect), parts in zip(endpoints, slices, strict=True)
        ]
        rounds = [
            create.rps / api.rps if api.rps else 0.0
            for api, create in zip(slices[1], slices[2], strict=True)
        ]
    finally:
        server.stop()
        if consumer is not None:
            consumer.stop()
    counts = _count_written()
    drop_postgres(url)
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    healthz, api, create = results
    rows = [
        [r.name, f"{len(r.latencies)}", f"{r.errors}", f"{r.rps:.1f}", f"{r.pct(50):.1f}",
         f"{r.pct(99):.1f}"]
        for r in results
    ]  # fmt: skip
    print(
        f"desk intake on PostgreSQL: gunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} client threads, {args.seconds:.0f} s per endpoint in {args.rounds} "
        f"alternating rounds, job queue {queue}, "
        f"{'a job consumer (1 worker)' if args.consumer else 'no job consumer'} "
        f"(setup {setup_seconds:.0f} s)"
    )
    print(table(["endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms"], rows))
    ratio_api = create.rps / api.rps if api.rps else 0.0
    ratio_health = create.rps / healthz.rps if healthz.rps else 0.0
    print(f"intake / priority-matrix (API, token): {ratio_api:.0%} (goal >= {GOAL:.0%})")
    print("  per round: " + ", ".join(f"{r:.0%}" for r in rounds))
    print(f"intake / healthz (no database):         {ratio_health:.0%}")
    print("written per intake: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    failed = ratio_api < GOAL or any(r.errors for r in results)
    return 1 if failed else 0


def _redis_prepare(url: str) -> str:
    """Point the server at Redis (queue and cache), on a database that must be empty: it is
    flushed afterwards (the enqueued jobs have no consumer here)."""
    if not url:
        os.environ.pop("STEWARD_REDIS_URL", None)
        return "embedded SQLite"
    import redis

    if redis.Redis.from_url(url).dbsize():
        raise SystemExit(f"{url} is not empty; pass another database number with --redis")
    os.environ["STEWARD_REDIS_URL"] = url
    os.environ["STEWARD_QUEUE_NAME"] = "bench-intake"
    return f"Redis ({url})"


def _count_written() -> dict[str, float]:
    from steward.audit.models import AuditEntry
    from steward.core.outbox import OutboxStatus
    from steward.incidents.models import Incident, IncidentTriage
    from steward.notifications.models import Notification
    from steward.sla.models import SlaClock, SlaMilestone

    incidents = Incident.objects.count() or 1
    return {
        "incidents": incidents,
        "SLA clocks": round(SlaClock.objects.count() / incidents, 2),
        "milestones": round(SlaMilestone.objects.count() / incidents, 2),
        "notifications": round(Notification.objects.count() / incidents, 2),
        "audit entries": round(
            AuditEntry.objects.filter(content_type__model="incident").count() / incidents, 2
        ),
        "triage done": round(
            IncidentTriage.objects.filter(status=OutboxStatus.DONE).count() / incidents, 2
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
