"""An SLA warning that fires while an agent acts on the same incident waits for the agent's
transaction instead of deadlocking with it: both take the incident's lock before its clocks
(PostgreSQL, real threads)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from steward.incidents.models import Escalation, Incident
from steward.incidents.services import incident_comment
from steward.incidents.services.common import lock
from steward.incidents.tests.conftest import clocks
from steward.sla import services as sla
from steward.sla.models import SlaMilestone

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_warning_fired_during_an_agent_reply_escalates_after_it(
    incident_in, clock, agent, lead
):
    incident = incident_in("assigned")
    warning = SlaMilestone.objects.get(clock=clocks(incident)["resolution"], percent=75)
    clock.set(warning.next_attempt_at)
    holding = threading.Event()
    errors: list[BaseException] = []
    fired: list[bool] = []

    def agent_replies() -> None:
        try:
            with transaction.atomic():
                lock(incident)
                holding.set()
                time.sleep(0.5)  # the warning fires meanwhile
                incident_comment(actor=agent, incident=incident, body="正在处理", public=True)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    def warning_fires() -> None:
        try:
            holding.wait()
            fired.append(sla.milestone_fire(milestone_id=warning.pk))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=agent_replies), threading.Thread(target=warning_fires)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (errors, fired) == ([], [True])
    replied = Incident.objects.get(pk=incident.pk)
    assert (replied.escalation_level, replied.first_responded_at) == (1, clock.now)
    assert list(Escalation.objects.values_list("level", "to_person_id")) == [(1, lead.pk)]
