"""The sample outbox job's work: claim, work, then record the effect and complete together."""

from __future__ import annotations

import os
import time

from django.db import transaction

from steward.core import outbox
from steward.testing.sample.models import SampleEffect, SampleJob


def sample_job_run(*, job_id: int) -> bool:
    """Do job ``job_id`` if this worker wins its claim; return True if the work took effect.

    The slow part runs outside any transaction. The effect row is written in the same
    transaction as ``complete()``, and only if ``complete()`` finds the claim still ours, so a
    worker that lost its lease (killed, or slower than the lease) leaves no effect behind: the
    number of ``SampleEffect`` rows of a job is the number of times its work really took effect.
    """
    token = outbox.claim(SampleJob, job_id)
    if token is None:
        return False
    job = SampleJob.objects.get(pk=job_id)
    time.sleep(job.work_seconds)
    with transaction.atomic():
        if not outbox.complete(SampleJob, job_id, token):
            return False
        SampleEffect.objects.create(job=job, worker_pid=os.getpid())
    return True
