"""The configuration cache across connections (PostgreSQL, real threads): another
connection's committed change is seen at once, its uncommitted one never."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from steward.core import config_cache
from steward.core.models import ConfigStamp
from steward.incidents import selectors
from steward.incidents.models import PriorityRule

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def in_other_connection(work) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


def test_another_connections_commit_is_seen_and_its_open_transaction_is_not():
    ConfigStamp.objects.get_or_create(id=1, defaults={"stamp": 1})
    config_cache.clear()
    assert selectors.priority_matrix()[(2, 2)] == 3
    holding, release = threading.Event(), threading.Event()

    def change_without_commit_yet() -> None:
        with transaction.atomic():
            PriorityRule.objects.filter(impact=2, urgency=2).update(priority=1)
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=lambda: in_other_connection(change_without_commit_yet))
    thread.start()
    assert holding.wait(10)
    assert selectors.priority_matrix()[(2, 2)] == 3  # not committed: the old value
    release.set()
    thread.join(30)
    assert selectors.priority_matrix()[(2, 2)] == 1  # committed: seen at once

    def change_back() -> None:
        PriorityRule.objects.filter(impact=2, urgency=2).update(priority=3)

    in_other_connection(change_back)
    assert selectors.priority_matrix()[(2, 2)] == 3
