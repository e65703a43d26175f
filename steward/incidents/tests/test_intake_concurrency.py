"""A creation that is still running does not hold up the next one (PostgreSQL, real threads):
the number comes from a sequence and the audit chain is locked only for the last writes."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from steward.core import events as core_events
from steward.incidents.events import IncidentCreated
from steward.incidents.models import Incident
from steward.incidents.services import incident_create
from steward.testing import factories

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_second_creation_commits_while_the_first_is_still_writing():
    slow_requester, quick_requester = factories.person(), factories.person()
    inside, release = threading.Event(), threading.Event()

    def hold_the_slow_one(event: IncidentCreated) -> None:
        # Runs in the creating transaction, after the number and the incident's rows and
        # before its audit entries: where the slow creation stands when the quick one runs.
        if event.requester_id == slow_requester.pk:
            inside.set()
            release.wait(20)

    core_events.subscribe(IncidentCreated, hold_the_slow_one)
    results: dict[str, object] = {}

    def create(name: str, requester) -> None:
        try:
            results[name] = incident_create(actor=requester, title=f"{name} 收银机无法开机")
        except BaseException as exc:  # noqa: BLE001 - asserted below
            results[name] = exc
        finally:
            connection.close()

    try:
        slow = threading.Thread(target=create, args=("slow", slow_requester))
        slow.start()
        assert inside.wait(20)
        started = time.monotonic()
        quick = threading.Thread(target=create, args=("quick", quick_requester))
        quick.start()
        quick.join(10)
        waited = time.monotonic() - started
        assert not quick.is_alive(), "the second creation waited for the first to commit"
        assert isinstance(results["quick"], Incident), results["quick"]
        assert waited < 5
        assert Incident.objects.filter(requester=quick_requester).exists()
        assert not Incident.objects.filter(requester=slow_requester).exists()  # not committed
    finally:
        release.set()
        slow.join(20)
        core_events._subscribers[IncidentCreated].remove(hold_the_slow_one)
    assert isinstance(results["slow"], Incident), results["slow"]
    numbers = {results["slow"].number, results["quick"].number}
    assert numbers == {"INC-000001", "INC-000002"}
