"""Clocks started as of the past with the record's history replayed (reclassification)."""

from __future__ import annotations

import pytest

from steward.core.outbox import OutboxStatus
from steward.sla import services
from steward.sla.models import SlaClock, SlaMilestone
from steward.sla.services import Step
from steward.sla.tests.conftest import at

pytestmark = pytest.mark.django_db

HISTORY = [
    Step(at(2026, 3, 6, 16, 0), "new"),  # a Friday
    Step(at(2026, 3, 6, 16, 10), "in_progress"),
    Step(at(2026, 3, 6, 16, 30), "on_hold"),
    Step(at(2026, 3, 6, 17, 30), "in_progress"),
]


def test_clocks_replay_the_history_and_plan_from_the_open_time(record, agreement):
    started = services.clocks_attach_as_of(
        record=record, service=agreement.service, priority=2, history=HISTORY,
        at=at(2026, 3, 6, 17, 45),
    )

    by_kind = {clock.kind: clock for clock in started}
    first, resolution = by_kind["first_response"], by_kind["resolution"]
    assert (first.state, first.elapsed_seconds, first.stopped_at) == (
        "met", 600, at(2026, 3, 6, 16, 10)
    )
    # 480 business minutes: 30 + 30 on Friday, then Monday 9-12 and 13-17.
    assert (resolution.state, resolution.started_at, resolution.due_at) == (
        "running", at(2026, 3, 6, 16, 0), at(2026, 3, 9, 17, 0)
    )
    assert resolution.elapsed_seconds == 1800


def test_only_the_highest_threshold_already_passed_stays_to_fire(record, agreement):
    [_, resolution] = sorted(
        services.clocks_attach_as_of(
            record=record, service=agreement.service, priority=2, history=HISTORY,
            at=at(2026, 3, 9, 15, 30),  # 60 + 180 + 150 = 390 of 480 minutes (81 %)
        ),
        key=lambda clock: clock.kind,
    )
    assert list(
        SlaMilestone.objects.filter(clock=resolution).order_by("percent")
        .values_list("percent", "status")
    ) == [
        (50, OutboxStatus.DONE), (75, OutboxStatus.PENDING), (90, OutboxStatus.PENDING),
        (100, OutboxStatus.PENDING),
    ]


def test_cancel_records_the_reason_and_disarms(record, agreement):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=2,
        at=at(2026, 3, 6, 16, 0),
    )

    services.clocks_cancel(record=record, reason="reclassified", at=at(2026, 3, 6, 16, 20))

    clocks = SlaClock.objects.filter(record_number=record.number)
    assert sorted(clocks.values_list("kind", "state", "elapsed_seconds")) == [
        ("first_response", "cancelled", 1200), ("resolution", "cancelled", 1200),
    ]
    assert not SlaMilestone.objects.filter(
        clock__in=clocks, status=OutboxStatus.PENDING
    ).exists()
    assert {c.events.order_by("pk").last().detail["state"] for c in clocks} == {"reclassified"}


def test_a_reopen_continues_the_stopped_clock_within_the_window(record, agreement):
    history = [
        Step(at(2026, 3, 6, 16, 0), "new"),
        Step(at(2026, 3, 6, 16, 20), "resolved"),
        Step(at(2026, 3, 6, 16, 40), "in_progress", reopen=True),
    ]

    started = services.clocks_attach_as_of(
        record=record, service=agreement.service, priority=2, history=history,
        at=at(2026, 3, 6, 17, 0),
    )

    resolution = next(clock for clock in started if clock.kind == "resolution")
    assert list(resolution.events.order_by("pk").values_list("kind", flat=True)) == [
        "start", "stop", "reopen"
    ]
    # 20 minutes before the resolution; 460 left from 16:40: 80 on Friday, Monday 180 + 200.
    assert (resolution.state, resolution.elapsed_seconds, resolution.due_at) == (
        "running", 1200, at(2026, 3, 9, 16, 20)
    )
