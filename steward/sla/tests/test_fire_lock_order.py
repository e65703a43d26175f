"""A milestone firing while a calendar re-plan holds the same clock waits for it instead of
deadlocking: both take the clock before its milestones (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import F

from steward.sla import services
from steward.sla.models import SlaClock, SlaMilestone
from steward.sla.tests.conftest import agreement, at, china  # noqa: F401 - fixtures
from steward.testing import factories

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_firing_waits_for_a_replan_holding_the_clock(agreement):  # noqa: F811
    record = factories.memo(requester=factories.person(), title="收银机无法开机")
    started = services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1,
        at=at(2026, 3, 2, 9, 0),
    )
    clock = next(c for c in started if c.kind == "resolution")
    fifty = SlaMilestone.objects.get(clock=clock, percent=50)
    # The job queue runs immediately in tests and the thresholds passed long ago, so the
    # ladder has fired on commit; put the 50 % milestone back as if its job had not run yet.
    SlaMilestone.objects.filter(pk=fifty.pk).update(
        status="pending", claim_token=None, lease_until=None, fired_at=None, attempts=0
    )
    holding = threading.Event()
    errors: list[BaseException] = []
    fired: list[bool] = []

    def replan_holds_the_clock() -> None:
        # The statements of ``clocks_replan_calendar`` in its order: the clocks, then their
        # pending milestones, with the firing arriving in between.
        try:
            with transaction.atomic():
                SlaClock.objects.filter(pk=clock.pk).update(elapsed_seconds=F("elapsed_seconds"))
                holding.set()
                time.sleep(0.5)
                SlaMilestone.objects.filter(clock=clock, status="processing").update(
                    last_error="re-planned"
                )
                SlaMilestone.objects.filter(clock=clock, status="pending").update(
                    next_attempt_at=F("next_attempt_at")
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    def milestone_fires() -> None:
        try:
            holding.wait()
            fired.append(services.milestone_fire(milestone_id=fifty.pk))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=replan_holds_the_clock),
               threading.Thread(target=milestone_fires)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (errors, fired) == ([], [True])
    assert SlaMilestone.objects.get(pk=fifty.pk).status == "done"
