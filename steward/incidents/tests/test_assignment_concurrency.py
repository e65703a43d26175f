"""Two incidents created at the same moment for a round-robin team get different assignees:
the team's cursor row is locked by the first until it commits (PostgreSQL, real threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from steward.identity.models import Role
from steward.incidents.models import Incident, TeamAssignment
from steward.incidents.services import incident_create
from steward.incidents.services.team_assignment import team_strategy_set
from steward.testing import factories

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_concurrent_creates_get_different_assignees():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    crew = [factories.person(roles=(Role.AGENT,)) for _ in range(2)]
    team = factories.team(code="RR", members=tuple(crew))
    service = factories.service(code="RRS", support_team=team)
    team_strategy_set(actor=admin, team=team, strategy="round_robin")
    requesters = [factories.person() for _ in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(requester) -> None:
        try:
            start.wait()
            incident_create(actor=requester, title="同时报告", service=service)
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
    assignees = sorted(Incident.objects.values_list("assignee_id", flat=True))
    assert assignees == sorted(p.pk for p in crew)
    assert TeamAssignment.objects.get(team=team).last_assignee_id in {p.pk for p in crew}
