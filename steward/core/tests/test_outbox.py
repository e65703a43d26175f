"""Service tests of the outbox: claim, lease, complete, retry with back-off, due rows, sweep."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from huey.contrib import djhuey

from steward.core import outbox
from steward.core.outbox import OutboxStatus
from steward.testing.sample.models import SampleEffect, SampleJob
from steward.testing.sample.services import sample_job_run

pytestmark = pytest.mark.django_db

PENDING = OutboxStatus.PENDING
PROCESSING = OutboxStatus.PROCESSING
DONE = OutboxStatus.DONE
FAILED = OutboxStatus.FAILED


def job(**fields) -> SampleJob:
    return SampleJob.objects.create(payload="p", **fields)


def expire_lease(row: SampleJob) -> None:
    """Given: the row's lease ran out a second ago (its worker died or stalled)."""
    SampleJob.objects.filter(pk=row.pk).update(lease_until=timezone.now() - timedelta(seconds=1))


def test_claim_takes_a_pending_due_row_under_a_lease(settings):
    row = job()
    before = timezone.now()

    token = outbox.claim(SampleJob, row.pk)

    row.refresh_from_db()
    assert token is not None
    assert (row.status, row.claim_token, row.attempts) == (PROCESSING, token, 1)
    lease = timedelta(seconds=settings.STEWARD_OUTBOX_LEASE_SECONDS)
    assert before + lease <= row.lease_until <= timezone.now() + lease


def test_claim_by_a_second_token_fails_while_the_lease_holds():
    row = job()
    first = outbox.claim(SampleJob, row.pk)

    second = outbox.claim(SampleJob, row.pk)

    row.refresh_from_db()
    assert second is None
    assert (row.status, row.claim_token, row.attempts) == (PROCESSING, first, 1)


@pytest.mark.parametrize(
    ("status", "due_in_seconds"),
    [(PENDING, 60), (DONE, -60), (FAILED, -60)],
    ids=["pending-not-yet-due", "done", "failed"],
)
def test_claim_refuses_rows_not_due_or_finished(status, due_in_seconds):
    row = job(status=status, next_attempt_at=timezone.now() + timedelta(seconds=due_in_seconds))

    token = outbox.claim(SampleJob, row.pk)

    row.refresh_from_db()
    assert token is None
    assert (row.status, row.attempts, row.claim_token) == (status, 0, None)


def test_expired_lease_is_reclaimed_and_the_old_holder_cannot_complete():
    row = job()
    old = outbox.claim(SampleJob, row.pk)
    expire_lease(row)

    new = outbox.claim(SampleJob, row.pk)
    old_completed = outbox.complete(SampleJob, row.pk, old)

    row.refresh_from_db()
    assert new is not None
    assert new != old
    assert old_completed is False
    assert (row.status, row.claim_token, row.attempts, row.processed_at) == (
        PROCESSING,
        new,
        2,
        None,
    )


def test_complete_marks_done_with_extra_fields_and_releases_the_lease():
    row = job()
    token = outbox.claim(SampleJob, row.pk)

    completed = outbox.complete(SampleJob, row.pk, token, payload="sent")

    row.refresh_from_db()
    assert completed is True
    assert (row.status, row.payload, row.lease_until) == (DONE, "sent", None)
    assert row.processed_at is not None


def test_complete_twice_succeeds_once():
    row = job()
    token = outbox.claim(SampleJob, row.pk)

    results = [outbox.complete(SampleJob, row.pk, token) for _ in range(2)]

    assert results == [True, False]


def test_retry_later_schedules_the_next_attempt_with_back_off():
    row = job()
    token = outbox.claim(SampleJob, row.pk)
    before = timezone.now()

    result = outbox.retry_later(SampleJob, row.pk, token, "smtp: connection refused")

    row.refresh_from_db()
    assert result == "pending"
    assert (row.status, row.last_error, row.lease_until, row.attempts) == (
        PENDING,
        "smtp: connection refused",
        None,
        1,
    )
    delay = timedelta(seconds=outbox.backoff_seconds(1))
    assert before + delay <= row.next_attempt_at <= timezone.now() + delay
    assert outbox.claim(SampleJob, row.pk) is None


@pytest.mark.parametrize(
    ("attempts_before", "outcome"),
    [(0, PENDING), (1, PENDING), (2, FAILED)],
)
def test_retry_later_gives_up_as_failed_after_the_maximum_attempts(
    settings, attempts_before, outcome
):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 3
    row = job(attempts=attempts_before)
    token = outbox.claim(SampleJob, row.pk)

    result = outbox.retry_later(SampleJob, row.pk, token, "boom")

    row.refresh_from_db()
    assert result == outcome
    assert (row.status, row.attempts) == (outcome, attempts_before + 1)


def test_failed_row_is_never_due_again(settings):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 1
    row = job()
    token = outbox.claim(SampleJob, row.pk)
    outbox.retry_later(SampleJob, row.pk, token, "boom")
    SampleJob.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(days=1))

    assert outbox.due_ids(SampleJob) == []
    assert outbox.claim(SampleJob, row.pk) is None


def test_retry_later_with_a_lost_claim_changes_nothing():
    row = job()
    old = outbox.claim(SampleJob, row.pk)
    expire_lease(row)
    new = outbox.claim(SampleJob, row.pk)

    result = outbox.retry_later(SampleJob, row.pk, old, "late failure")

    row.refresh_from_db()
    assert result == "lost"
    assert (row.status, row.claim_token, row.last_error) == (PROCESSING, new, "")


def test_retry_later_after_complete_leaves_the_row_done():
    row = job()
    token = outbox.claim(SampleJob, row.pk)
    outbox.complete(SampleJob, row.pk, token)

    result = outbox.retry_later(SampleJob, row.pk, token, "error after the work was done")

    row.refresh_from_db()
    assert result == "lost"
    assert (row.status, row.last_error) == (DONE, "")


def test_retry_later_of_an_unknown_token_is_lost():
    row = job()
    outbox.claim(SampleJob, row.pk)

    assert outbox.retry_later(SampleJob, row.pk, uuid.uuid4(), "x") == "lost"


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [(0, 30), (1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (20, 3600)],
)
def test_backoff_doubles_from_thirty_seconds_up_to_one_hour(attempts, seconds):
    assert outbox.backoff_seconds(attempts) == seconds


def test_due_ids_finds_pending_due_and_lease_expired_rows_only():
    now = timezone.now()
    hour = timedelta(hours=1)
    pending_due = job(next_attempt_at=now - hour)
    job(next_attempt_at=now + hour)
    lease_expired = job(status=PROCESSING, lease_until=now - timedelta(seconds=1))
    job(status=PROCESSING, lease_until=now + hour)
    job(status=DONE, next_attempt_at=now - hour)
    job(status=FAILED, next_attempt_at=now - hour)

    ids = outbox.due_ids(SampleJob)

    assert sorted(ids) == sorted([pending_due.pk, lease_expired.pk])


def test_due_ids_returns_the_earliest_due_first_up_to_the_limit():
    now = timezone.now()
    later = job(next_attempt_at=now - timedelta(minutes=1))
    earliest = job(next_attempt_at=now - timedelta(minutes=3))
    job(next_attempt_at=now - timedelta(minutes=2))

    assert outbox.due_ids(SampleJob, limit=1) == [earliest.pk]
    assert later.pk not in outbox.due_ids(SampleJob, limit=2)


@pytest.fixture
def immediate_huey(monkeypatch):
    """Jobs run in this process as they are enqueued (the test settings' default)."""
    monkeypatch.setattr(djhuey.HUEY, "immediate", True)


def test_sweep_enqueues_due_rows_with_their_registered_job(immediate_huey):
    due = [job(), job(status=PROCESSING, lease_until=timezone.now() - timedelta(seconds=1))]
    not_due = job(next_attempt_at=timezone.now() + timedelta(hours=1))

    counts = outbox.sweep()

    assert counts["sample.SampleJob"] == 2
    assert sorted(SampleJob.objects.filter(status=DONE).values_list("pk", flat=True)) == sorted(
        row.pk for row in due
    )
    assert SampleEffect.objects.filter(job__in=due).count() == 2
    not_due.refresh_from_db()
    assert (not_due.status, not_due.attempts) == (PENDING, 0)


def test_backlog_counts_pending_and_processing_rows():
    job()
    job(status=PROCESSING)
    job(status=DONE)
    job(status=FAILED)

    assert outbox.backlog()["sample.SampleJob"] == 2


def test_sample_job_records_one_effect_with_its_completion():
    row = job()

    did_work = sample_job_run(job_id=row.pk)

    row.refresh_from_db()
    assert did_work is True
    assert (row.status, row.attempts) == (DONE, 1)
    assert list(SampleEffect.objects.filter(job=row).values_list("worker_pid", flat=True)) == [
        os.getpid()
    ]


def test_sample_job_leaves_no_effect_when_the_claim_is_held_elsewhere():
    row = job()
    outbox.claim(SampleJob, row.pk)

    did_work = sample_job_run(job_id=row.pk)

    row.refresh_from_db()
    assert did_work is False
    assert (row.status, row.attempts) == (PROCESSING, 1)
    assert SampleEffect.objects.filter(job=row).count() == 0


def test_fail_gives_up_at_once_and_records_when():
    row = job()
    token = outbox.claim(SampleJob, row.pk)

    assert outbox.fail(SampleJob, row.pk, token, "address refused") is True
    assert outbox.fail(SampleJob, row.pk, token, "again") is False

    row.refresh_from_db()
    assert (row.status, row.last_error) == (FAILED, "address refused")
    assert row.processed_at is not None


def test_sweep_fails_rows_whose_worker_died_on_every_attempt(settings):
    settings.STEWARD_OUTBOX_MAX_ATTEMPTS = 2
    row = job()
    for _ in range(2):
        outbox.claim(SampleJob, row.pk, lease_seconds=0)
        SampleJob.objects.filter(pk=row.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )

    outbox.sweep()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (FAILED, 2)
    assert "lease expired" in row.last_error
