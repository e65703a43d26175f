"""The SLA engine on stored clocks: attach, pause, resume, stop, re-plan, milestones."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.outbox import OutboxStatus
from steward.sla import services
from steward.sla.models import ClockState, SlaClock, SlaMilestone
from steward.sla.services.planning import elapsed_at
from steward.sla.tasks import enqueue_milestone
from steward.sla.tests.conftest import at

pytestmark = pytest.mark.django_db


def _clocks(record) -> dict[str, SlaClock]:
    return {
        c.kind: c
        for c in SlaClock.objects.filter(record_number=record.number).exclude(
            state=ClockState.CANCELLED
        )
    }


def test_attach_on_friday_before_spring_festival_is_due_on_the_make_up_saturday(agreement, record):
    # 8 business hours from Friday 2026-02-13 16:00: 2 h on Friday, then Saturday 2026-02-14 is a
    # make-up working day (09:00-12:00, 13:00-18:00), so 6 more hours end there at 16:00.
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=2, at=at(2026, 2, 13, 16, 0)
    )
    clocks = _clocks(record)
    assert set(clocks) == {"first_response", "resolution"}
    assert clocks["resolution"].due_at == at(2026, 2, 14, 16, 0)
    assert clocks["first_response"].due_at == at(2026, 2, 13, 17, 0)
    assert clocks["resolution"].calendar_version == agreement.metrics.first().calendar.version


def test_pause_and_resume_move_the_due_time(agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )  # Monday; 16 h target
    services.clocks_on_state_change(record=record, state="in_progress", at=at(2026, 3, 2, 9, 20))
    services.clocks_on_state_change(record=record, state="on_hold", at=at(2026, 3, 2, 11, 0))
    paused = _clocks(record)["resolution"]
    assert (paused.state, paused.elapsed_seconds, paused.due_at) == ("paused", 2 * 3600, None)
    assert not SlaMilestone.objects.filter(clock=paused).exclude(status=OutboxStatus.DONE).exists()
    services.clocks_on_state_change(record=record, state="in_progress", at=at(2026, 3, 3, 9, 0))
    resumed = _clocks(record)["resolution"]
    # 14 business hours left from Tuesday 09:00: Tuesday 8 h, Wednesday 6 h → 16:00 Wednesday.
    assert resumed.due_at == at(2026, 3, 4, 16, 0)
    first = _clocks(record)["first_response"]
    assert (first.state, first.elapsed_seconds) == ("met", 20 * 60)


def test_stopped_result_is_frozen_while_running_clocks_are_replanned(agreement, record, china):
    other = type(record).objects.create(number="MEM-999001", title="x", requester=record.requester)
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )
    services.clocks_attach(
        record=other, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )
    services.clocks_on_state_change(record=record, state="resolved", at=at(2026, 3, 2, 15, 0))
    stopped = _clocks(record)["resolution"]
    assert (stopped.state, stopped.elapsed_seconds) == ("met", 5 * 3600)
    # A company day off on Tuesday 2026-03-03.
    services.calendar_set_exception(
        actor=None, calendar=china, date=dt.date(2026, 3, 3), kind="holiday", name="门店盘点日"
    )
    stopped_after = SlaClock.objects.get(pk=stopped.pk)
    assert (stopped_after.state, stopped_after.elapsed_seconds, stopped_after.calendar_version) == (
        "met",
        5 * 3600,
        stopped.calendar_version,
    )
    running = _clocks(other)["resolution"]
    assert running.calendar_version == stopped.calendar_version + 1
    assert running.due_at == at(2026, 3, 4, 18, 0)  # was Tuesday 18:00; Tuesday is now off


def test_breach_when_elapsed_exceeds_target(agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1, at=at(2026, 3, 2, 9, 0)
    )  # 4 h target
    services.clocks_on_state_change(record=record, state="resolved", at=at(2026, 3, 2, 14, 1))
    clock = _clocks(record)["resolution"]
    assert clock.state == "breached"
    assert clock.elapsed_seconds == 4 * 3600 + 60


def test_milestones_fire_once_each(agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1, at=at(2026, 3, 2, 9, 0)
    )
    clock = _clocks(record)["resolution"]
    due = {m.percent: m.next_attempt_at for m in SlaMilestone.objects.filter(clock=clock)}
    # 4 business hours from Monday 09:00: 2 h → 11:00, 3 h → 12:00 (lunch follows),
    # 3 h 36 min → 13:36, 4 h → 14:00.
    assert due == {
        50: at(2026, 3, 2, 11, 0),
        75: at(2026, 3, 2, 12, 0),
        90: at(2026, 3, 2, 13, 36),
        100: at(2026, 3, 2, 14, 0),
    }
    fifty = SlaMilestone.objects.get(clock=clock, percent=50)
    assert services.milestone_fire(milestone_id=fifty.pk, now=at(2026, 3, 2, 10, 0)) is False
    assert SlaMilestone.objects.get(pk=fifty.pk).status == "pending"
    assert services.milestone_fire(milestone_id=fifty.pk, now=at(2026, 3, 2, 11, 1)) is True
    assert services.milestone_fire(milestone_id=fifty.pk, now=at(2026, 3, 2, 11, 2)) is False
    breach = SlaMilestone.objects.get(clock=clock, percent=100)
    assert services.milestone_fire(milestone_id=breach.pk, now=at(2026, 3, 2, 14, 5)) is True
    clock.refresh_from_db()
    assert clock.breached_at == at(2026, 3, 2, 14, 0)
    assert list(clock.events.filter(kind__in=["warning", "breach"]).values_list("kind", "at")) == [
        ("warning", at(2026, 3, 2, 11, 0)),
        ("breach", at(2026, 3, 2, 14, 0)),
    ]
    # A re-plan never re-arms what has fired.
    services.clocks_on_state_change(record=record, state="on_hold", at=at(2026, 3, 2, 16, 10))
    services.clocks_on_state_change(record=record, state="in_progress", at=at(2026, 3, 3, 9, 0))
    assert sorted(SlaMilestone.objects.filter(clock=clock).values_list("percent", "status")) == [
        (50, "done"),
        (75, "pending"),
        (90, "pending"),
        (100, "done"),
    ]


def test_priority_change_recomputes_from_the_original_start(agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )
    services.clocks_on_priority_change(record=record, priority=1, at=at(2026, 3, 2, 10, 0))
    clock = _clocks(record)["resolution"]
    assert (clock.priority, clock.target_seconds, clock.due_at) == (
        1,
        4 * 3600,
        at(2026, 3, 2, 14, 0),
    )
    assert elapsed_at(clock, at(2026, 3, 2, 10, 0)) == 3600


def test_reopen_within_window_continues_with_closed_time_as_pause(agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )
    services.clocks_on_state_change(record=record, state="resolved", at=at(2026, 3, 2, 12, 0))
    services.clocks_on_reopen(record=record, state="in_progress", at=at(2026, 3, 4, 9, 0))
    clock = _clocks(record)["resolution"]
    assert (clock.state, clock.elapsed_seconds) == ("running", 3 * 3600)
    assert clock.due_at == at(2026, 3, 5, 15, 0)  # 13 h left from Wednesday 09:00: 8 h + 5 h


def test_year_without_official_data_is_not_guessed(agreement, record):
    services.clocks_attach(
        record=record,
        service=agreement.service,
        state="new",
        priority=3,
        at=at(2026, 12, 31, 17, 0),
    )
    clock = _clocks(record)["resolution"]
    assert clock.state == "running"
    assert clock.due_at is None  # 2027 is not loaded: no silent guess


def test_each_clock_queues_its_earliest_milestone_and_each_firing_queues_the_next(
    agreement, record, django_capture_on_commit_callbacks
):
    # Started in March, so by the real clock every threshold is long past: the job queue
    # (immediate in tests) runs each queued milestone at once, and each firing queues its
    # clock's next, so the whole ladder fires from one job per clock.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        started = services.clocks_attach(
            record=record, service=agreement.service, state="new", priority=1,
            at=at(2026, 3, 2, 9, 0),
        )
    queued = [c for c in callbacks if getattr(c, "func", None) is enqueue_milestone]
    milestones = SlaMilestone.objects.filter(clock__in=started)
    first_of_each = {
        clock.pk: min(milestones.filter(clock=clock), key=lambda m: m.next_attempt_at).pk
        for clock in started
    }
    assert [c.args[0] for c in queued[: len(started)]] == list(first_of_each.values())
    assert len(queued) == milestones.count()  # every milestone queued exactly once
    assert set(milestones.values_list("status", flat=True)) == {OutboxStatus.DONE}
    for clock in started:
        assert list(clock.events.filter(kind__in=["warning", "breach"]).values_list(
            "detail__percent", flat=True
        ).order_by("at", "pk")) == [50, 75, 90, 100]
