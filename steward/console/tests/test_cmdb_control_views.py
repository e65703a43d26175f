"""Console › CMDB: the unauthorised-changes review queue, baselines and their comparison,
configuration audits with findings and corrective actions, the asset register and the
licence compliance report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.cmdb import index, services
from steward.cmdb.models import AuditFinding, Baseline, CiChange, ConfigurationAudit
from steward.cmdb.tests.conftest import SERVER_ATTRIBUTES, classes, team  # noqa: F401
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    index.reset()
    yield
    index.reset()


@pytest.fixture
def change_manager(db):
    return factories.person(roles=(Role.AGENT, Role.CHANGE_MANAGER), username="cm")


@pytest.fixture
def agent(db):
    return factories.person(roles=(Role.AGENT,), username="agent")


@pytest.fixture
def server(classes, team):  # noqa: F811
    return services.ci_create(actor=None, ci_class=classes["server"], name="erp-db-01",
                              support_team=team, attributes={"mgmt_ip": "10.0.0.5"},
                              change_number="CHG-000001")


def client_for(person, language="en"):
    client = Client()
    client.force_login(person)
    client.post("/language/", {"language": language})
    return client


# ---------- unauthorised changes ----------

def test_a_change_manager_reviews_an_unauthorised_change_linking_its_change_record(
    change_manager, server
):
    services.ci_update(actor=None, ci=server, changes={"name": "erp-db-01a"})
    change = CiChange.objects.get(field="name", action="update")
    client = client_for(change_manager)

    queue = client.get(reverse("console:cmdb_unauthorised"))
    reviewed = client.post(reverse("console:cmdb_change_review", args=[change.pk]),
                           {"note": "紧急修复", "change_number": "CHG-000077"})

    assert [c.field for c in queue.context["page_obj"]] == ["name"]
    assert reverse("console:cmdb_change_review", args=[change.pk]) in queue.content.decode()
    assert reviewed.status_code == 302
    change.refresh_from_db()
    assert (change.review_note, change.change_number, change.reviewed_by_id) == (
        "紧急修复", "CHG-000077", change_manager.pk)
    assert list(client.get(reverse("console:cmdb_unauthorised")).context["page_obj"]) == []
    done = client.get(reverse("console:cmdb_unauthorised"), {"reviewed": "1"})
    assert '<code class="change-number">CHG-000077</code>' in done.content.decode()


def test_an_agent_sees_the_queue_but_may_not_review(agent, server):
    services.ci_update(actor=None, ci=server, changes={"name": "erp-db-01a"})
    change = CiChange.objects.get(field="name", action="update")
    client = client_for(agent)

    queue = client.get(reverse("console:cmdb_unauthorised"))
    response = client.post(reverse("console:cmdb_change_review", args=[change.pk]),
                           {"note": "ok"})

    assert queue.status_code == 200
    assert reverse("console:cmdb_change_review", args=[change.pk]) not in queue.content.decode()
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.reviewed_at is None


# ---------- baselines ----------

def test_a_baseline_is_taken_over_a_scope_and_compared_with_now_and_another(
    change_manager, classes, server  # noqa: F811
):
    client = client_for(change_manager)

    taken = client.post(reverse("console:cmdb_baselines"), {
        "code": "BL-1", "name": "服务器基线", "ci_class": "hardware", "site": "", "team": "",
        "status": "", "environment": "", "ci_ids": ""})
    services.ci_update(actor=None, ci=server, changes={"name": "erp-db-renamed"})
    added = factories.ci(ci_class=classes["hardware"], name="switch-01")
    services.baseline_create(actor=None, code="BL-2", name="第二次", scope={"ci_class": "hardware"})
    with_now = client.get(reverse("console:cmdb_baseline", args=["BL-1"]))
    with_other = client.get(reverse("console:cmdb_baseline", args=["BL-1"]), {"to": "BL-2"})

    assert taken["Location"] == reverse("console:cmdb_baseline", args=["BL-1"])
    assert Baseline.objects.get(code="BL-1").scope == {"ci_class": "hardware"}
    for response in (with_now, with_other):
        comparison = response.context["comparison"]
        assert (comparison.added, comparison.removed) == ([added.ci_id], [])
        assert comparison.changed == [(server.ci_id, "name", "erp-db-01", "erp-db-renamed")]
    assert with_other.context["right"].code == "BL-2"


def test_an_empty_scope_is_a_form_error_and_an_agent_may_not_take_baselines(
    change_manager, agent, server
):
    refused = client_for(change_manager).post(reverse("console:cmdb_baselines"), {
        "code": "BL-X", "name": "x", "ci_ids": "CI-999999"})
    denied = client_for(agent).post(reverse("console:cmdb_baselines"), {
        "code": "BL-Y", "name": "y", "ci_class": "hardware"})

    assert refused.status_code == 422
    assert refused.context["form"].non_field_errors() == ["The scope names no CI."]
    assert denied.status_code == 403
    assert not Baseline.objects.exists()
    assert client_for(agent).get(reverse("console:cmdb_baselines")).context["form"] is None


# ---------- audits ----------

def test_an_audit_is_planned_run_and_its_findings_acted_on(change_manager, classes, server):  # noqa: F811
    services.ci_update(actor=None, ci=server, changes={"name": "renamed"})
    factories.ci(ci_class=classes["hardware"], name="switch-01")
    client = client_for(change_manager)

    planned = client.post(reverse("console:cmdb_audits"), {
        "code": "AUD-1", "name": "季度审计", "first_due": "2030-01-01", "interval_days": "90",
        "baseline": "", "stale_after_days": "", "audit_team": "", "ci_class": "hardware"})
    ran = client.post(reverse("console:cmdb_audit_run", args=["AUD-1"]), follow=True)

    assert planned["Location"] == reverse("console:cmdb_audit", args=["AUD-1"])
    assert ConfigurationAudit.objects.get().scope == {"ci_class": "hardware"}
    assert [(f.ci.name, f.kind, f.field) for f in ran.context["page_obj"]] == [
        ("renamed", "unauthorised", "name")]
    assert [str(m) for m in ran.context["messages"]][-1] == "The audit ran: 1 finding."


def test_a_finding_gets_a_corrective_action_then_is_resolved(change_manager, classes, team):  # noqa: F811
    server = services.ci_create(actor=None, ci_class=classes["server"], name="drifting",
                                support_team=team, attributes={"mgmt_ip": "10.0.0.8"},
                                change_number="CHG-1")
    baseline = services.baseline_create(actor=None, code="BL-A", name="a",
                                        scope={"ci_ids": [server.ci_id]})
    services.ci_update(actor=None, ci=server, changes={"name": "drifted"},
                       change_number="CHG-2")
    audit = services.audit_create(actor=None, code="AUD-2", name="b",
                                  scope={"ci_ids": [server.ci_id]},
                                  first_due=timezone.localdate(), baseline=baseline)
    services.audit_run(audit_id=audit.pk)
    finding = AuditFinding.objects.get()
    client = client_for(change_manager)

    page = client.get(reverse("console:cmdb_audit", args=["AUD-2"]))
    client.post(reverse("console:cmdb_finding_act", args=[finding.pk, "plan_action"]),
                {"note": "核对命名", "action_due": "2030-02-01"})
    client.post(reverse("console:cmdb_finding_act", args=[finding.pk, "resolve"]), {"note": ""})

    assert [(f.kind, f.field) for f in page.context["page_obj"]] == [("drift", "name")]
    finding.refresh_from_db()
    assert (finding.status, finding.action, finding.action_due, finding.closed_by_id) == (
        "resolved", "核对命名", dt.date(2030, 2, 1), change_manager.pk)


def test_an_agent_outside_the_audit_team_may_not_act_on_findings(agent, change_manager):
    assert client_for(agent).post(reverse("console:cmdb_audits"), {
        "code": "AUD-3", "name": "c", "first_due": "2030-01-01",
        "interval_days": "90"}).status_code == 403
    assert not ConfigurationAudit.objects.exists()


# ---------- assets and licences ----------

def test_the_asset_register_filters_by_warranty_and_finance_moves_an_asset(server):
    finance = factories.person(roles=(Role.FINANCE,))
    today = timezone.localdate()
    soon = services.asset_create(actor=None, name="Dell R750", ci=server,
                                 warranty_end=today + dt.timedelta(days=20))
    services.asset_create(actor=None, name="备用笔记本",
                          warranty_end=today + dt.timedelta(days=400))
    client = client_for(finance)

    ending = client.get(reverse("console:cmdb_assets"), {"warranty": "30"})
    page = client.get(reverse("console:cmdb_asset", args=[soon.asset_tag]))
    client.post(reverse("console:cmdb_asset_act", args=[soon.asset_tag, "deploy"]))

    assert [a.name for a in ending.context["page_obj"]] == ["Dell R750"]
    assert [a for a, _label in page.context["actions"]] == ["deploy", "send_to_repair", "retire"]
    soon.refresh_from_db()
    assert soon.lifecycle == "deployed"


def test_an_agent_may_not_move_an_asset(agent):
    asset = services.asset_create(actor=None, name="x")

    response = client_for(agent).post(reverse("console:cmdb_asset_act",
                                              args=[asset.asset_tag, "deploy"]))

    assert response.status_code == 403
    asset.refresh_from_db()
    assert asset.lifecycle == "in_stock"


def test_the_licence_report_lists_shortfalls_first(agent, classes):  # noqa: F811
    short = services.licence_create(actor=None, code="WIN", product="Windows", entitlements=1)
    services.licence_create(actor=None, code="ACME", product="Acme", entitlements=5)
    for _ in range(2):
        services.licence_install(actor=None, licence=short,
                                 ci=factories.ci(ci_class=classes["software"]),
                                 installed_on=dt.date(2026, 1, 5))

    response = client_for(agent, "zh-hans").get(reverse("console:cmdb_licences"))
    licence = client_for(agent).get(reverse("console:cmdb_licence", args=["WIN"]))

    assert [(r["code"], r["installed"], r["compliant"]) for r in response.context["rows"]] == [
        ("WIN", 2, False), ("ACME", 0, True)]
    assert response.context["shortfall"] == 1
    assert reverse("console:cmdb_licence", args=["WIN"]) in response.content.decode()
    assert len(licence.context["installations"]) == 2
