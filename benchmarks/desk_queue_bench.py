"""The agent's incident queues at 10,000 and at 1,000,000 incidents, served as in production.

Run: ``.venv/bin/python benchmarks/desk_queue_bench.py [--small N] [--large N] [--seconds S]
[--clients N]``. PostgreSQL only: ``STEWARD_DATABASE_URL`` (default
``postgresql://postgres@127.0.0.1:5432/bench_queue``) is created fresh and dropped afterwards.

The database holds the demo organisation and catalogue. Incidents are bulk-loaded with COPY:
history spread over three years, closed or cancelled, each with its stopped resolution clock;
the newest 400 are the open backlog (new, assigned, in progress, on hold) with running
clocks, some due soon or overdue. At the large size the backlog is the newest 400 again (the
older open ones were closed), as on a real desk where history grows and the backlog does not.

Measured (gunicorn with ``steward/config/gunicorn.py``, a logged-in team lead of the network
team, keep-alive client threads): the console queue pages (``/incidents/?queue=...``, first
page of 25, full HTML) and the API list (``/api/v1/incidents``, cursor pagination), p50 and
p95 at each size. Goal: p95 at the large size within 1.5x of p95 at the small size, for
every page. Exits 1 if a goal fails or a request errs. About 8 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from typing import Any

from desk_common import (
    Result,
    Server,
    drop_postgres,
    load,
    load_organisation,
    prepare_postgres,
    table,
)

GOAL = 1.5
BACKLOG = 400
TEAM_WEIGHTS = {"DESK": 30, "NET": 22, "APP": 30, "INFRA": 10, "SEC": 8}
OPEN_STATUSES = ("new", "assigned", "in_progress", "in_progress", "on_hold")
PAGES = [
    ("console: mine", "/console/incidents/?queue=mine"),
    ("console: my teams", "/console/incidents/?queue=my_teams"),
    ("console: unassigned", "/console/incidents/?queue=unassigned"),
    ("console: breaching soon", "/console/incidents/?queue=breaching_soon"),
    ("console: on hold", "/console/incidents/?queue=on_hold"),
    ("console: all", "/console/incidents/?queue=all"),
    ("console: my teams, P1-P2", "/console/incidents/?queue=my_teams&priority=1&priority=2"),
    ("API: list (all)", "/api/v1/incidents"),
    ("API: list (my teams)", "/api/v1/incidents?queue=my_teams"),
]
INCIDENT_COLUMNS = (
    "id", "number", "title", "description", "requester_id", "assignee_id", "team_id",
    "department_id", "site_id", "restricted", "opened_at", "closed_at", "version", "service_id",
    "category", "subcategory", "impact", "urgency", "priority", "status", "hold_reason", "channel",
    "first_responded_at", "resolved_at", "resolution_code", "resolution_note", "reopen_count",
    "reassignment_count", "is_major", "updated_at", "escalation_level",
)  # fmt: skip
CLOCK_COLUMNS = (
    "content_type_id", "object_id", "record_number", "agreement_id", "metric_id", "kind",
    "priority", "target_seconds", "calendar_id", "calendar_version", "agreement_version",
    "state", "started_at", "measured_at", "elapsed_seconds", "due_at", "breached_at",
    "stopped_at", "excluded",
)  # fmt: skip
TITLES = ("收银机无法结账", "门店断网", "打印机卡纸", "账号被锁定", "ERP 登录报错", "VPN 连不上")


class Fixture:
    """What the generated rows refer to: teams, agents, services, requesters, one metric."""

    def __init__(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from steward.catalogue.models import Service
        from steward.identity.models import Person, SiteKind, Team
        from steward.incidents.models import Incident
        from steward.sla.models import AgreementMetric

        self.teams = {t.code: t.pk for t in Team.objects.all()}
        self.members = {
            t.code: sorted(m.person_id for m in t.memberships.all())
            for t in Team.objects.prefetch_related("memberships")
        }
        self.services: dict[int, list[int]] = {}
        for service in Service.objects.all():
            self.services.setdefault(service.support_team_id, []).append(service.pk)
        self.requesters = list(
            Person.objects.filter(site__kind=SiteKind.STORE).values_list(
                "pk", "department_id", "site_id"
            )
        )
        self.metric = AgreementMetric.objects.select_related("agreement", "calendar").get(
            agreement__code="SLA-POS-STORES", kind="resolution"
        )
        self.content_type = ContentType.objects.get_for_model(Incident).pk
        self.now = dt.datetime.now(dt.UTC)


def _rows(fx: Fixture, first: int, last: int, total: int, rng: random.Random) -> Any:
    """Incident rows for ids ``first``..``last`` of a history of ``total``."""
    span = dt.timedelta(days=3 * 365)
    codes, weights = list(TEAM_WEIGHTS), list(TEAM_WEIGHTS.values())
    for pk in range(first, last + 1):
        team = rng.choices(codes, weights=weights)[0]
        requester, department, site = rng.choice(fx.requesters)
        opened = fx.now - span * (1 - pk / total) - dt.timedelta(minutes=rng.randint(1, 30))
        number = f"INC-{pk:07d}"
        impact, urgency = rng.randint(1, 3), rng.randint(1, 3)
        priority = min(5, impact + urgency - 1)
        is_open = pk > total - BACKLOG
        status = rng.choice(OPEN_STATUSES) if is_open else rng.choices(
            ("closed", "cancelled"), weights=(97, 3))[0]  # fmt: skip
        assignee = None if status in ("new", "cancelled") else rng.choice(fx.members[team])
        responded = None if status in ("new", "cancelled") else opened + dt.timedelta(minutes=9)
        resolved = opened + dt.timedelta(hours=rng.randint(1, 30)) if status == "closed" else None
        closed = (resolved + dt.timedelta(days=7)) if resolved else (
            opened + dt.timedelta(minutes=20) if status == "cancelled" else None)  # fmt: skip
        yield (
            (pk, number, f"{rng.choice(TITLES)} #{pk}", "门店报障", requester, assignee,
             fx.teams[team], department, site, False, opened, closed, 3,
             rng.choice(fx.services[fx.teams[team]]), "hardware", "", impact, urgency, priority,
             status, "awaiting_vendor" if status == "on_hold" else "", "phone", responded,
             resolved, "solution_provided" if resolved else "", "已处理" if resolved else "", 0,
             0, False, closed or opened, 0)
        )  # fmt: skip


def bulk_load(fx: Fixture, first: int, last: int, total: int) -> float:
    """COPY incidents ``first``..``last``; close the backlog that is no longer the newest."""
    from django.db import connection

    started = time.perf_counter()
    rng = random.Random(first)  # noqa: S311 - benchmark data
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_incident SET status='closed', hold_reason='', "
            "resolved_at=opened_at + interval '2 hours', closed_at=opened_at + interval '7 days', "
            "resolution_code='solution_provided', first_responded_at=opened_at "
            "WHERE status IN ('new','assigned','in_progress','on_hold')"
        )
        cursor.execute(
            "UPDATE sla_slaclock SET state='met', due_at=NULL, stopped_at=started_at "
            "WHERE state IN ('running','paused')"
        )
        raw = cursor.cursor
        incidents = f"COPY incidents_incident ({', '.join(INCIDENT_COLUMNS)}) FROM STDIN"
        with raw.copy(incidents) as copy:
            for row in _rows(fx, first, last, total, rng):
                copy.write_row(row)
        m = fx.metric
        targets = " ".join(
            f"WHEN {p} THEN {int(m.targets.get(str(p), 600)) * 60}" for p in range(1, 6)
        )
        # One resolution clock per incident, as the engine leaves it: stopped (met) for
        # closed ones, cancelled, paused on hold, running (some due soon, some overdue).
        cursor.execute(
            f"INSERT INTO sla_slaclock ({', '.join(CLOCK_COLUMNS)}) "  # noqa: S608 - our names
            "SELECT %s, id, number, %s, %s, 'resolution', priority, "
            f"CASE priority {targets} END, %s, %s, %s, "
            "CASE status WHEN 'closed' THEN 'met' WHEN 'cancelled' THEN 'cancelled' "
            "WHEN 'on_hold' THEN 'paused' ELSE 'running' END, opened_at, "
            "COALESCE(resolved_at, closed_at, opened_at), 600, "
            "CASE WHEN status IN ('new', 'assigned', 'in_progress') "
            "THEN now() + ((id * 7919) %% 3600 - 600) * interval '1 minute' END, "
            "NULL, COALESCE(resolved_at, closed_at), false "
            "FROM incidents_incident WHERE id BETWEEN %s AND %s",
            [fx.content_type, m.agreement_id, m.pk, m.calendar_id, m.calendar.version,
             m.agreement.version, first, last],
        )  # fmt: skip
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('incidents_incident', 'id'), %s)", [last]
        )
        cursor.execute("ANALYZE incidents_incident")
        cursor.execute("ANALYZE sla_slaclock")
    return time.perf_counter() - started


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from steward.identity.models import Person

    person = Person.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def measure(port: int, cookie: str, seconds: float, clients: int) -> list[Result]:
    results = []
    headers = {"Cookie": cookie, "Accept-Language": "zh-hans"}
    for name, path in PAGES:

        def make(_c: int, _n: int, path: str = path) -> tuple[str, str, None, dict[str, str]]:
            return "GET", path, None, headers

        load(port, "warm-up", make, clients=1, seconds=1)
        results.append(load(port, name, make, clients=clients, seconds=seconds))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    url = prepare_postgres("bench_queue")

    import django

    django.setup()
    from django.db import connections

    load_organisation()
    fx = Fixture()
    cookie = session_cookie("net.lead")
    by_size: dict[int, list[Result]] = {}
    loads = {}
    previous = 0
    for size in (args.small, args.large):
        loads[size] = bulk_load(fx, previous + 1, size, size)
        previous = size
        connections.close_all()
        server = Server(workers=args.workers, threads=4)
        try:
            by_size[size] = measure(server.port, cookie, args.seconds, args.clients)
        finally:
            server.stop()
    drop_postgres(url)
    return report(args, by_size, loads)


def report(args: Any, by_size: dict[int, list[Result]], loads: dict[int, float]) -> int:
    small, large = by_size[args.small], by_size[args.large]
    rows, failed = [], False
    for a, b in zip(small, large, strict=True):
        ratio = b.pct(95) / a.pct(95)
        ok = ratio <= GOAL and not a.errors and not b.errors
        failed |= not ok
        rows.append([a.name, f"{a.pct(50):.1f}", f"{a.pct(95):.1f}", f"{b.pct(50):.1f}",
                     f"{b.pct(95):.1f}", f"{ratio:.2f}", "ok" if ok else "FAIL",
                     f"{a.errors + b.errors}"])  # fmt: skip
    print(
        f"desk queues on PostgreSQL: gunicorn {args.workers} workers, {args.clients} client "
        f"threads, {args.seconds:.0f} s per page and size; bulk load "
        + ", ".join(f"{n:,}: {s:.0f} s" for n, s in loads.items())
    )
    s, lg = f"{args.small:,}", f"{args.large:,}"
    headers = ["page", f"p50 ms @{s}", f"p95 ms @{s}", f"p50 ms @{lg}", f"p95 ms @{lg}",
               "p95 ratio", f"goal <={GOAL}x", "errors"]  # fmt: skip
    print(table(headers, rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
