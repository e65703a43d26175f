"""Incident reports on a large service desk: 100,000 incidents over a year, 300 stores.

Run: ``.venv/bin/python benchmarks/reports_bench.py [--incidents N]`` (SQLite in a temporary
STEWARD_HOME, removed afterwards), and with
``STEWARD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_reports`` for PostgreSQL
(the database is created fresh and dropped afterwards).

The data: 300 stores in 10 departments, 12 teams of 5 engineers, 100,000 incidents opened
across 2025 (three quarters resolved, some reopened or reassigned, a few thousand still
open), each with its acknowledgement in the audit trail and its two customer-SLA clocks
(first response, resolution). Rows are bulk-inserted (the audit chain is not valid; reports
do not read hashes).

Measured: ``steward.reports.selectors.measures`` for one month and for the whole year, as a
total and grouped per site, engineer and team, and the 12-month trend. Goal: every call
under 3 s for a month and under 15 s for the year on this 2-core machine. Exits 1 if missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MONTH_GOAL_S, YEAR_GOAL_S = 3.0, 15.0
_HOME: list[str] = []


def _prepare_environment() -> str:
    url = os.environ.get("STEWARD_DATABASE_URL", "")
    _HOME.append(tempfile.mkdtemp(prefix="stw-bench-reports-"))
    os.environ["STEWARD_HOME"] = _HOME[0]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.config.settings.base")
    if url.startswith("postgres"):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "postgresql"
    return "sqlite"


def _cleanup(vendor: str) -> None:
    from django.db import connections

    connections.close_all()
    if vendor == "postgresql":
        import psycopg

        url = os.environ["STEWARD_DATABASE_URL"]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')
    for home in _HOME:
        shutil.rmtree(home, ignore_errors=True)


def load(n: int, seed: int) -> Any:  # noqa: PLR0915 - one linear script
    """Insert the organisation, the SLA and ``n`` incidents in bulk; return a manager."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from steward.audit.models import AuditEntry
    from steward.identity.models import (
        Department,
        Person,
        Role,
        RoleGrant,
        Site,
        Team,
        TeamMembership,
    )
    from steward.incidents.models import Incident
    from steward.sla import services as sla
    from steward.sla.models import CalendarKind, SlaClock
    from steward.testing import factories

    rng = random.Random(seed)
    zone = dt.timezone(dt.timedelta(hours=8))
    with transaction.atomic():
        departments = Department.objects.bulk_create(
            Department(code=f"D{i:02d}", name=f"区域{i}") for i in range(10)
        )
        sites = Site.objects.bulk_create(
            Site(code=f"S{i:04d}", name=f"门店{i}", department=departments[i % 10])
            for i in range(300)
        )
        people = Person.objects.bulk_create(
            Person(username=f"eng{i}", name=f"工程师{i}") for i in range(60)
        )
        requesters = Person.objects.bulk_create(
            Person(username=f"store{i}", name=f"店长{i}", site=s, department=s.department)
            for i, s in enumerate(sites)
        )
        RoleGrant.objects.bulk_create(RoleGrant(person=p, role=Role.AGENT) for p in people)
        teams = Team.objects.bulk_create(Team(code=f"T{i:02d}", name=f"组{i}") for i in range(12))
        TeamMembership.objects.bulk_create(
            TeamMembership(team=teams[i // 5], person=p) for i, p in enumerate(people)
        )
        manager = factories.person(roles=(Role.ADMINISTRATOR,))
        calendar = sla.calendar_create(
            actor=None, code="CN", name="工作日", kind=CalendarKind.CHINA,
            weekly={d: [[540, 720], [780, 1080]] for d in range(5)},
        )
        service = factories.service(code="POS", name="门店收银", support_team=teams[0])
        agreement = sla.agreement_create(actor=None, code="SLA-POS", name="收银",
                                         service=service, valid_from=dt.date(2025, 1, 1))
        metrics = {
            kind: sla.metric_set(actor=None, agreement=agreement, kind=kind, calendar=calendar,
                                 targets={str(p): 60 * p for p in range(1, 6)},
                                 start_states=["new"], stop_states=["resolved"])
            for kind in ("first_response", "resolution")
        }
        incidents, acks, clocks = [], [], []
        start = dt.datetime(2025, 1, 1, tzinfo=zone)
        for i in range(n):
            opened = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
            engineer = rng.randrange(60)
            done = rng.random() < 0.95 and opened < start + dt.timedelta(days=360)
            resolved = opened + dt.timedelta(minutes=rng.randrange(10, 7 * 1440)) if done else None
            requester = requesters[rng.randrange(300)]
            status = "new" if not done and rng.random() < 0.5 else (
                "in_progress" if not done else ("closed" if rng.random() < 0.7 else "resolved")
            )
            incidents.append(Incident(
                number=f"INC-{i:07d}", title="收银机无法开机", requester=requester,
                assignee=people[engineer] if status != "new" else None,
                team=teams[engineer // 5], department=requester.department,
                site=requester.site, service=service, priority=rng.randrange(1, 6),
                channel=rng.choice(["portal", "email", "phone", "chat"]), status=status,
                opened_at=opened, updated_at=opened,
                first_responded_at=opened + dt.timedelta(minutes=rng.randrange(1, 240)),
                resolved_at=resolved if status in ("resolved", "closed") else None,
                closed_at=resolved if status == "closed" else None,
                reopen_count=1 if rng.random() < 0.05 else 0,
                reassignment_count=rng.choice([0, 0, 0, 1, 2]),
                resolution_code="solution_provided" if status in ("resolved", "closed") else "",
            ))
        Incident.objects.bulk_create(incidents, batch_size=5000)
        incident_type = ContentType.objects.get_for_model(Incident)
        first = (AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        for seq, inc in enumerate(Incident.objects.order_by("pk").iterator(), start=first):
            if inc.assignee_id:
                acks.append(AuditEntry(
                    seq=seq, occurred_at=inc.opened_at + dt.timedelta(minutes=rng.randrange(1, 90)),
                    source="console", content_type=incident_type, object_id=str(inc.pk),
                    action="assign", changes={"assignee": [None, inc.assignee_id]},
                    prev_hash="0" * 64, hash=f"{seq:064x}",
                ))
            for kind, metric in metrics.items():
                stopped = inc.first_responded_at if kind == "first_response" else inc.resolved_at
                if stopped is None:
                    continue
                clocks.append(SlaClock(
                    content_type=incident_type, object_id=inc.pk, record_number=inc.number,
                    agreement=agreement, metric=metric, kind=kind, priority=inc.priority,
                    target_seconds=3600 * inc.priority, calendar=calendar, calendar_version=1,
                    agreement_version=1, state=rng.choice(["met", "met", "met", "breached"]),
                    started_at=inc.opened_at, measured_at=stopped, stopped_at=stopped,
                    elapsed_seconds=rng.randrange(60, 40 * 3600),
                ))
        AuditEntry.objects.bulk_create(acks, batch_size=5000)
        SlaClock.objects.bulk_create(clocks, batch_size=5000)
    return manager


def _profile(manager: Any) -> None:
    from django.db import connection

    from steward.reports import selectors
    from steward.reports.query import Period

    timings: list[tuple[float, str]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - t0, sql))

    with connection.execute_wrapper(wrapper):
        selectors.measures(user=manager, period=Period(dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
                           by="engineer")
    for took, sql in sorted(timings, reverse=True)[:6]:
        print(f"{took:7.2f} s  {sql[:300]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--profile", action="store_true", help="print the slowest queries")
    args = parser.parse_args()
    vendor = _prepare_environment()

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from steward.reports import selectors
    from steward.reports.query import Period

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    manager = load(args.incidents, args.seed)
    print(f"{vendor}: loaded {args.incidents} incidents in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum / a nightly ANALYZE keeps up to date
        cursor.execute("ANALYZE")
    if args.profile:
        _profile(manager)
    ok = True
    timezone.activate("Asia/Shanghai")
    for label, period, goal in (
        ("month", Period(dt.date(2025, 6, 1), dt.date(2025, 7, 1)), MONTH_GOAL_S),
        ("year", Period(dt.date(2025, 1, 1), dt.date(2026, 1, 1)), YEAR_GOAL_S),
    ):
        for by in ("total", "site", "engineer", "team"):
            t0 = time.perf_counter()
            rows = selectors.measures(user=manager, period=period, by=by)
            took = time.perf_counter() - t0
            ok = ok and took < goal
            print(f"{label:<6}{by:<10}{len(rows):>5} rows {took:7.2f} s  (goal {goal:.0f} s)")
        t0 = time.perf_counter()
        points = selectors.trend(user=manager, period=period)
        took = time.perf_counter() - t0
        ok = ok and took < goal
        print(f"{label:<6}{'trend':<10}{len(points):>5} rows {took:7.2f} s  (goal {goal:.0f} s)")
    _cleanup(vendor)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
