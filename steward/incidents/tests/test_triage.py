"""Triage of a new incident: a row written in the creating transaction, and a job after commit
that assigns the incident by its team's strategy and applies the major-incident criteria,
once, whatever is retried or swept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from steward.core import outbox
from steward.identity.models import Role
from steward.incidents import services
from steward.incidents.models import IncidentTriage, MajorIncident, MajorIncidentPolicy
from steward.incidents.services import team_assignment
from steward.incidents.services.triage import incident_triage
from steward.incidents.tests.conftest import audit_entries
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(db: Any) -> list[Any]:
    return [factories.person(roles=(Role.AGENT,), name=f"值班{i}") for i in range(2)]


@pytest.fixture
def ops(crew: list[Any], admin: Any) -> Any:
    team = factories.team(code="OPS", name="运维组", members=tuple(crew))
    team_assignment.team_strategy_set(actor=admin, team=team, strategy="round_robin")
    return team


@pytest.fixture
def erp(ops: Any) -> Any:
    return factories.service(code="ERP", name="ERP", support_team=ops)


def test_creating_writes_a_pending_triage_and_the_job_assigns_once(erp, crew):
    incident = factories.incident(service=erp, triage=False)
    row = IncidentTriage.objects.get(incident=incident)

    assert (row.status, incident.assignee_id, incident.status) == ("pending", None, "new")
    assert incident_triage(triage_id=row.pk) is True

    incident.refresh_from_db()
    row.refresh_from_db()
    assert (incident.assignee_id, incident.status, row.status) == (crew[0].pk, "assigned", "done")
    assert incident_triage(triage_id=row.pk) is False  # done: a second run does nothing
    assert [e.action for e in audit_entries(incident)] == ["create", "assign"]


def test_the_job_runs_when_the_creation_commits(erp, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = factories.incident(service=erp, triage=False)

    incident.refresh_from_db()
    assert (incident.assignee_id, IncidentTriage.objects.get(incident=incident).status) == (
        crew[0].pk,
        "done",
    )


def test_an_incident_someone_took_meanwhile_keeps_its_assignee(erp, crew):
    incident = factories.incident(service=erp, triage=False)
    services.incident_assign(actor=crew[1], incident=incident, assignee=crew[1])

    assert incident_triage(triage_id=IncidentTriage.objects.get(incident=incident).pk) is True

    incident.refresh_from_db()
    assert (incident.assignee_id, incident.status) == (crew[1].pk, "assigned")
    assert [e.action for e in audit_entries(incident)] == ["create", "assign"]


def test_the_sweep_enqueues_a_triage_whose_job_was_lost(erp, crew):
    # Created without running its on-commit enqueue: as if the process died right after commit.
    incident = factories.incident(service=erp, triage=False)

    counts = outbox.sweep()

    incident.refresh_from_db()
    assert counts["incidents.IncidentTriage"] == 1
    assert incident.assignee_id == crew[0].pk
    assert outbox.sweep()["incidents.IncidentTriage"] == 0


def test_triage_applies_the_site_criterion_for_store_incidents(erp):
    MajorIncidentPolicy.objects.create(pk=1, site_threshold=2, site_window_minutes=30)
    stores = [factories.person(site=factories.site(code=f"T{n}", name=f"门店{n}")) for n in (1, 2)]
    first = factories.incident(service=erp, requester=stores[0])
    second = factories.incident(service=erp, requester=stores[1], triage=False)
    assert MajorIncident.objects.count() == 0  # the second's triage has not run yet

    incident_triage(triage_id=IncidentTriage.objects.get(incident=second).pk)

    major = MajorIncident.objects.get()
    assert (major.incident_id, major.criterion) == (second.pk, "sites")
    children = second.incoming_links.filter(kind="child_of").values_list("source_id", flat=True)
    assert first.pk in set(children)


def test_the_api_answers_before_triage_and_the_record_shows_it_after(
    erp, crew, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(crew[0])
    requester = factories.person()

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/incidents",
            {"title": "ERP 登录超时", "service_id": erp.pk, "requester_id": requester.pk},
            content_type="application/json",
        )
    shown = client.get(f"/api/v1/incidents/{created.json()['number']}")

    assert created.status_code == 201
    assert (created.json()["status"], created.json()["assignee_id"]) == ("new", None)
    assert (shown.json()["status"], shown.json()["assignee_id"]) == ("assigned", crew[0].pk)
