"""Requests raised at the same moment get distinct numbers (no gap when none fails), and one
signed link used twice at the same moment decides once (threads with their own connections;
SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from steward.core.errors import DomainError
from steward.fulfilment.models import Approval, ServiceRequest
from steward.fulfilment.services import (
    approval_decide_by_link,
    approval_link_token,
    request_submit,
)
from steward.fulfilment.services.numbering import REQUEST_NUMBERS
from steward.testing import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORKERS = 5


def _run(workers: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(len(workers))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _item() -> Any:
    service = factories.service()
    return factories.request_item(
        service=service, approval_kind="service_owner",
        form=[{"key": "why", "type": "text", "label": "原因"}],
        tasks=[{"title": "开通", "team": service.support_team.code}],
    )


def test_concurrent_requests_get_distinct_consecutive_numbers() -> None:
    item = _item()
    people = [factories.person() for _ in range(WORKERS)]
    work = [
        (lambda p=p: request_submit(actor=p, item=item, answers={"why": "同时"}).number)
        for p in people
    ]
    numbers, errors = _run(work)
    expected = [f"REQ-{n:06d}" for n in range(1, WORKERS + 1)]
    assert errors == []
    assert sorted(numbers) == expected
    assert sorted(ServiceRequest.objects.values_list("number", flat=True)) == expected
    assert REQUEST_NUMBERS.last() == WORKERS


def test_one_link_used_twice_at_once_decides_once() -> None:
    item = _item()
    request = request_submit(actor=factories.person(), item=item, answers={"why": "x"})
    token = approval_link_token(request.approvals.get(), "approved")
    results, errors = _run([lambda: approval_decide_by_link(token=token)] * 2)
    assert len(results) == 1
    assert [isinstance(e, DomainError) for e in errors] == [True]
    assert Approval.objects.get().state == "approved"
