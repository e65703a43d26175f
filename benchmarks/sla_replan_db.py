"""Time to re-plan 100,000 running SLA clocks stored in the database after a calendar edit.

Run: ``.venv/bin/python benchmarks/sla_replan_db.py [--clocks N]`` (SQLite in a temporary
STEWARD_HOME), and with ``STEWARD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_replan``
for PostgreSQL (the database is created fresh and dropped afterwards). Prints a table.

The clocks belong to one China-calendar metric, started at random business instants of 2026
with random targets, each with its start event and four pending milestones, as the engine writes
them. The measured step is ``calendar_set_exception`` (a company holiday), which bumps the
calendar version and re-plans every open clock: replays its events, moves its due time and its
pending milestones, in bulk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _prepare_environment() -> str:
    url = os.environ.get("STEWARD_DATABASE_URL", "")
    os.environ.setdefault("STEWARD_HOME", tempfile.mkdtemp(prefix="stw-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.config.settings.base")
    if url.startswith("postgres"):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "postgresql"
    return "sqlite"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clocks", type=int, default=100_000)
    args = parser.parse_args()
    vendor = _prepare_environment()

    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    from steward.core.outbox import OutboxStatus
    from steward.sla import services
    from steward.sla.compile import compiled
    from steward.sla.models import CalendarKind, SlaClock, SlaClockEvent, SlaMilestone
    from steward.testing import factories

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    office = {d: [[540, 720], [780, 1080]] for d in range(5)}
    with transaction.atomic():
        calendar = services.calendar_create(actor=None, code="CN", name="中国", weekly=office,
                                            kind=CalendarKind.CHINA)
        services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
        calendar.refresh_from_db()
        service = factories.service(code="POS")
        agreement = services.agreement_create(actor=None, code="SLA", name="SLA",
                                              service=service, valid_from=dt.date(2026, 1, 1))
        metric = services.metric_set(actor=None, agreement=agreement, kind="resolution",
                                     calendar=calendar, targets={"1": 240, "3": 960},
                                     start_states=["new"], stop_states=["resolved"])
    core = compiled(calendar)
    content_type = ContentType.objects.get_for_model(SlaClock)  # any type: records not needed
    rng = random.Random(20261126)  # noqa: S311 - benchmark data
    first = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC).timestamp()
    clocks, events, milestones = [], [], []
    for n in range(args.clocks):
        start = core.next_business_instant(
            dt.datetime.fromtimestamp(first + rng.randrange(0, 200 * 86400), tz=dt.UTC))
        target = rng.choice([240, 960]) * 60
        clocks.append(SlaClock(
            content_type=content_type, object_id=n + 1, record_number=f"INC-{n + 1:07d}",
            agreement=agreement, metric=metric, kind="resolution", priority=1,
            target_seconds=target, calendar=calendar, calendar_version=calendar.version,
            agreement_version=agreement.version, state="running", started_at=start,
            measured_at=start, elapsed_seconds=0,
            due_at=core.add(start, dt.timedelta(seconds=target)),
        ))
    with transaction.atomic():
        created = SlaClock.objects.bulk_create(clocks, batch_size=5000)
        if created[0].pk is None:
            created = list(SlaClock.objects.order_by("pk"))
        for clock in created:
            events.append(SlaClockEvent(clock=clock, kind="start", at=clock.started_at,
                                        elapsed_seconds=0))
            for percent in (50, 75, 90, 100):
                milestones.append(SlaMilestone(
                    clock=clock, percent=percent, status=OutboxStatus.PENDING,
                    next_attempt_at=core.add(clock.started_at, dt.timedelta(
                        seconds=clock.target_seconds * percent // 100)),
                ))
        SlaClockEvent.objects.bulk_create(events, batch_size=5000)
        SlaMilestone.objects.bulk_create(milestones, batch_size=5000)
    setup = time.perf_counter() - started

    holiday = dt.date(2026, 6, 22)
    before = dict(SlaClock.objects.values_list("pk", "due_at"))
    started = time.perf_counter()
    services.calendar_set_exception(actor=None, calendar=calendar, date=holiday,
                                    kind="holiday", name="门店盘点日")
    replan = time.perf_counter() - started
    after = dict(SlaClock.objects.values_list("pk", "due_at"))
    moved = sum(1 for pk, due in after.items() if due != before[pk])
    versions = set(SlaClock.objects.values_list("calendar_version", flat=True))

    print(f"SLA re-plan after a calendar edit ({vendor})")
    print(f"{'measure':<44}{'clocks':>10}{'seconds':>10}{'clocks/s':>12}  note")
    print(f"{'set up clocks, events, milestones':<44}{args.clocks:>10,}{setup:>10.2f}"
          f"{args.clocks / setup:>12,.0f}")
    print(f"{'re-plan (replay events, move due, milestones)':<44}{args.clocks:>10,}"
          f"{replan:>10.2f}{args.clocks / replan:>12,.0f}  {moved:,} due times moved; "
          f"calendar versions now {sorted(versions)}")
    ok = versions == {calendar.version} and moved > 0
    if vendor == "postgresql":
        from django.db import connections

        connections.close_all()
        import psycopg

        url = os.environ["STEWARD_DATABASE_URL"]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
