"""Wiring of the time entry endpoints; refusals answer with field + reason, nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.identity.models import Role
from steward.testing import factories
from steward.workitems.time_models import ActivityType, TimeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    agent = factories.person(roles=(Role.AGENT,))
    team = factories.team(code="DESK", members=(agent,))
    record = factories.incident(service=factories.service(code="POS", support_team=team))
    client = Client()
    client.force_login(agent)
    return agent, record, client


def test_log_list_change_and_delete(setup):
    agent, record, client = setup
    url = f"/api/v1/records/{record.number}/time"
    activity = ActivityType.objects.get(code="remote")

    logged = client.post(url, {"minutes": 25, "activity_id": activity.pk, "note": "远程重启"},
                         content_type="application/json")
    entry_id = logged.json()["id"]
    changed = client.patch(f"/api/v1/records/time-entries/{entry_id}",
                           {"version": 1, "minutes": 35}, content_type="application/json")
    listed = client.get(url)
    types = client.get("/api/v1/records/time/activity-types")
    deleted = client.delete(f"/api/v1/records/time-entries/{entry_id}")

    assert (logged.status_code, logged.json()["minutes"], logged.json()["person_id"]) == (
        201, 25, agent.pk
    )
    assert (changed.status_code, changed.json()["minutes"]) == (200, 35)
    assert (listed.json()["minutes"], len(listed.json()["entries"])) == (35, 1)
    assert [t["code"] for t in types.json()][:2] == ["diagnosis", "remote"]
    assert deleted.status_code == 204
    assert TimeEntry.objects.count() == 0


def test_zero_minutes_is_a_422_with_the_field(setup):
    _, record, client = setup

    response = client.post(f"/api/v1/records/{record.number}/time", {"minutes": 0},
                           content_type="application/json")

    assert (response.status_code, response.json()["field"], response.json()["code"]) == (
        422, "minutes", "invalid"
    )
    assert TimeEntry.objects.count() == 0


def test_an_invisible_record_is_a_404(setup):
    _, record, _client = setup
    stranger = Client()
    stranger.force_login(factories.person())

    response = stranger.post(f"/api/v1/records/{record.number}/time", {"minutes": 5},
                             content_type="application/json")

    assert response.status_code == 404
    assert TimeEntry.objects.count() == 0


def test_sums_are_for_finance_leads_and_admins(setup):
    agent, record, client = setup
    client.post(f"/api/v1/records/{record.number}/time",
                {"minutes": 30, "work_date": "2026-01-05"}, content_type="application/json")
    finance = Client()
    finance.force_login(factories.person(roles=(Role.FINANCE,)))

    denied = client.get("/api/v1/records/time/sums?start=2026-01-01&end=2026-01-31")
    own = client.get(f"/api/v1/records/time/sums?start=2026-01-01&end=2026-01-31"
                     f"&person_id={agent.pk}")
    allowed = finance.get("/api/v1/records/time/sums?start=2026-01-01&end=2026-01-31")

    assert denied.status_code == 403
    assert own.json() == [{"person_id": agent.pk, "period": "2026-01-01", "minutes": 30}]
    assert allowed.json() == own.json()
