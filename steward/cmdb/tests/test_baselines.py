"""Baselines (snapshot, compare two or with now) and configuration audits (due runs once per
date, findings, corrective actions)."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.cmdb import selectors, services
from steward.cmdb.models import AuditFinding, AuditRun, Baseline, CiFact
from steward.cmdb.services.audits import ConfigurationAuditRan
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import Conflict, InvalidTransition, NotPermitted
from steward.testing import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 1)


@pytest.fixture
def estate(classes, team):
    a = factories.ci(ci_class=classes["hardware"], name="sw-1", support_team=team)
    b = factories.ci(ci_class=classes["hardware"], name="sw-2", support_team=team)
    return a, b


def test_a_baseline_snapshots_its_scope(estate, change_manager):
    a, b = estate
    factories.relation(a, "connects_to", b)
    baseline = services.baseline_create(
        actor=change_manager, code="BL-1", name="Network", scope={"ci_class": "hardware"}
    )
    snaps = dict(baseline.items.values_list("ci__ci_id", "snapshot"))
    assert snaps[a.ci_id] == {
        "name": "sw-1",
        "status": "in_use",
        "criticality": 3,
        "environment": "production",
        "description": "",
        "ci_class": "hardware",
        "site": None,
        "support_team": "INFRA",
        "owner": None,
        "relations.connects_to": [b.ci_id],
    }
    assert audit_entries(baseline, "create").count() == 1


def test_comparing_two_baselines_and_a_baseline_with_now(estate, classes, team, admin, engineer):
    a, b = estate
    first = services.baseline_create(
        actor=admin, code="BL-1", name="n", scope={"ci_class": "hardware"}
    )
    services.ci_update(actor=engineer, ci=a, changes={"name": "sw-1a"})
    services.ci_retire(actor=engineer, ci=b)
    c = factories.ci(ci_class=classes["hardware"], name="sw-3", support_team=team)
    second = services.baseline_create(
        actor=admin, code="BL-2", name="n", scope={"ci_class": "hardware"}
    )

    between = selectors.baseline_compare(user=admin, left=first, right=second)
    with_now = selectors.baseline_compare(user=admin, left=first, right=None)

    assert (between.added, between.removed, between.changed) == (
        [c.ci_id],
        [b.ci_id],
        [(a.ci_id, "name", "sw-1", "sw-1a")],
    )
    assert with_now == between
    assert selectors.baseline_compare(user=admin, left=second, right=None).same


def test_only_administrators_and_change_managers_take_baselines(estate, engineer):
    with pytest.raises(NotPermitted):
        services.baseline_create(actor=engineer, code="X", name="n", scope={})
    assert Baseline.objects.count() == 0


def test_a_baseline_code_is_unique(estate, admin):
    services.baseline_create(actor=admin, code="BL-1", name="n", scope={})
    with pytest.raises(Conflict):
        services.baseline_create(actor=admin, code="bl-1", name="n", scope={})


def test_an_audit_finds_drift_unauthorised_changes_missing_values_and_stale_cis(
    estate, classes, team, admin, engineer, django_capture_on_commit_callbacks
):
    a, b = estate
    server = factories.ci(
        ci_class=classes["server"],
        name="esx",
        support_team=team,
        attributes={"mgmt_ip": "10.0.0.1"},
        change_number="CHG-1",
    )
    baseline = services.baseline_create(
        actor=admin, code="BL-1", name="n", scope={"ci_class": "hardware"}
    )
    audit = services.audit_create(
        actor=admin,
        code="AUD-1",
        name="Quarterly",
        scope={"ci_class": "hardware"},
        first_due=DAY,
        interval_days=90,
        baseline=baseline,
        stale_after_days=30,
    )
    services.ci_update(actor=engineer, ci=a, changes={"description": "moved"})
    services.ci_update(actor=engineer, ci=server, changes={"attributes": {"cpu_cores": 8}})
    CiFact.objects.create(
        ci=b,
        field="name",
        value="sw-2",
        source="ansible",
        observed_at=dt.datetime.now(dt.UTC),
        recorded_at=dt.datetime.now(dt.UTC),
    )
    published: list[ConfigurationAuditRan] = []
    from steward.core import events

    events.subscribe(ConfigurationAuditRan, published.append)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.audit_run(audit_id=audit.pk)

    found = sorted(AuditFinding.objects.filter(run=run).values_list("ci__ci_id", "kind", "field"))
    assert found == sorted(
        [
            (a.ci_id, "drift", "description"),
            (a.ci_id, "stale", ""),
            (server.ci_id, "drift", "attributes.cpu_cores"),
            (server.ci_id, "unauthorised", "attributes.cpu_cores"),
            (server.ci_id, "stale", ""),
        ]
    )
    audit.refresh_from_db()
    assert (run.checked, run.finding_count, audit.next_due) == (3, 5, DAY + dt.timedelta(days=90))
    assert published == [ConfigurationAuditRan(audit_id=audit.pk, run_id=run.pk, finding_count=5)]


def test_an_audit_runs_once_per_due_date(estate, admin):
    audit = services.audit_create(actor=admin, code="A", name="n", scope={}, first_due=DAY)
    assert services.audits_due(today=DAY) == [audit.pk]
    first = services.audit_run(audit_id=audit.pk)
    again = services.audit_run(audit_id=audit.pk, due_date=DAY)
    assert (first.due_date, again) == (DAY, None)
    assert AuditRun.objects.count() == 1
    assert services.audits_due(today=DAY) == []


def test_corrective_actions_are_tracked(estate, classes, team, admin, engineer):
    factories.ci(
        ci_class=classes["server"],
        name="esx",
        support_team=team,
        attributes={"mgmt_ip": "10.0.0.1"},
        change_number="CHG-1",
    )
    audit = services.audit_create(
        actor=admin,
        code="A",
        name="n",
        scope={"ci_class": "server"},
        first_due=DAY,
        support_team=team,
        stale_after_days=30,
    )
    run = services.audit_run(audit_id=audit.pk)
    finding = AuditFinding.objects.get(run=run)

    planned = services.finding_act(
        actor=engineer, finding=finding, action="plan_action", note="get a change", action_due=DAY
    )
    resolved = services.finding_act(actor=engineer, finding=planned, action="resolve")

    assert (planned.status, planned.action, planned.action_due) == (
        "action_planned",
        "get a change",
        DAY,
    )
    assert (resolved.status, resolved.closed_by) == ("resolved", engineer)
    with pytest.raises(InvalidTransition):
        services.finding_act(actor=engineer, finding=resolved, action="accept")
    assert [e.action for e in audit_entries(finding)] == ["plan_action", "resolve"]


def test_outsiders_may_not_act_on_findings(estate, classes, team, admin):
    audit = services.audit_create(
        actor=admin,
        code="A",
        name="n",
        scope={"ci_ids": [estate[0].ci_id]},
        first_due=DAY,
        support_team=team,
        stale_after_days=30,
    )
    finding = AuditFinding.objects.get(run=services.audit_run(audit_id=audit.pk))
    outsider = factories.person(roles=("agent",))
    with pytest.raises(NotPermitted):
        services.finding_act(actor=outsider, finding=finding, action="accept")
    finding.refresh_from_db()
    assert finding.status == "open"


def test_the_baseline_and_audit_endpoints(estate, admin, team, engineer):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    base = "/api/v1/cmdb"
    created = client.post(
        f"{base}/baselines",
        {"code": "BL-1", "name": "Net", "scope": {"ci_class": "hardware"}},
        content_type="application/json",
    )
    assert (created.status_code, created.json()["item_count"]) == (201, 2)
    services.ci_update(actor=engineer, ci=estate[0], changes={"name": "renamed"})
    compared = client.get(f"{base}/baselines/BL-1/compare").json()
    assert compared["changed"] == [
        {"ci_id": estate[0].ci_id, "field": "name", "before": "sw-1", "after": "renamed"}
    ]
    audit = client.post(
        f"{base}/audits",
        {
            "code": "AUD",
            "name": "q",
            "first_due": "2026-11-01",
            "baseline": "BL-1",
            "support_team": "INFRA",
        },
        content_type="application/json",
    )
    assert audit.status_code == 201, audit.content
    run = client.post(f"{base}/audits/AUD/run")
    again = client.post(f"{base}/audits/AUD/run")
    assert (run.status_code, run.json()["finding_count"]) == (201, 1)
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    [finding] = client.get(f"{base}/findings?audit=AUD").json()["results"]
    assert (finding["kind"], finding["field"]) == ("drift", "name")
    acted = client.post(
        f"{base}/findings/{finding['id']}/act",
        {"action": "accept", "note": "renamed on purpose"},
        content_type="application/json",
    )
    assert (acted.status_code, acted.json()["status"]) == (200, "accepted")
    requester = Client()
    requester.force_login(factories.person(roles=("requester",)))
    assert requester.get(f"{base}/baselines/BL-1").status_code == 404
    assert requester.post(f"{base}/audits/AUD/run").status_code == 404


def test_the_daily_job_runs_the_due_audits(estate, admin, monkeypatch):
    from django.utils import timezone

    from steward.cmdb import tasks

    services.audit_create(actor=admin, code="A", name="n", scope={}, first_due=DAY)
    services.audit_create(
        actor=admin, code="B", name="n", scope={}, first_due=DAY.replace(year=2099)
    )
    monkeypatch.setattr(timezone, "localdate", lambda: DAY)
    assert tasks.cmdb_audits_run_due.call_local() == 1
    assert tasks.cmdb_audits_run_due.call_local() == 0
