"""The same link clicked twice at the same moment (two browser tabs, a mail client's preview)
records one rating: the survey row is locked, the second sees it rated (threads with their own
connections on a committed database; SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict
from steward.satisfaction import services
from steward.satisfaction.models import Survey

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORKERS = 4


def test_simultaneous_ratings_record_one(survey: Survey) -> None:
    token = services.survey_token(survey)
    start = threading.Barrier(WORKERS)
    rated: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def worker(rating: int) -> None:
        try:
            start.wait()
            services.survey_rate_by_link(token=token, rating=rating)
            rated.append(rating)
        except Conflict as exc:
            refused.append(exc.code)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, WORKERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(rated) == 1
    assert refused == ["survey_used"] * (WORKERS - 1)
    survey.refresh_from_db()
    assert (survey.status, survey.rating) == ("rated", rated[0])
    assert AuditEntry.objects.filter(action="rate").count() == 1
