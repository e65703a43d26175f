"""Incidents created at the same moment on a committed database get distinct numbers, with
no gap when none fails (threads with their own connections; SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.incidents.models import Incident
from steward.incidents.services import incident_create
from steward.incidents.services.numbering import number_last
from steward.testing import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORKERS = 6


def test_concurrent_creations_get_distinct_consecutive_numbers():
    requesters = [factories.person() for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def worker(requester) -> None:
        try:
            start.wait()
            incident = incident_create(actor=requester, title="同时报告的故障")
            numbers.append(incident.number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(r,)) for r in requesters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    expected = [f"INC-{n:06d}" for n in range(1, WORKERS + 1)]
    assert sorted(numbers) == expected
    assert sorted(Incident.objects.values_list("number", flat=True)) == expected
    assert number_last() == WORKERS
