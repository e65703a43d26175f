"""Suite-wide fixtures and the PostgreSQL marker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"steward database: {str(db['ENGINE']).rsplit('.', 1)[-1]} ({db['NAME']})"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if "postgresql" in str(settings.DATABASES["default"]["ENGINE"]):
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL: set STEWARD_DATABASE_URL=postgresql://... to run it"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Service-level messages are asserted in English; pages follow the request's language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _record_numbers_from_one(request: pytest.FixtureRequest) -> None:
    """On PostgreSQL record numbers come from sequences, which neither a test's rollback nor
    a flush resets: start every database test at INC-000001 and REQ-000001, as on SQLite."""
    if request.node.get_closest_marker("django_db") is None or connection.vendor != "postgresql":
        return
    from steward.core.numbers import NUMBERINGS

    for numbering in NUMBERINGS:
        numbering.restart()


@pytest.fixture
def vendor() -> str:
    return connection.vendor
