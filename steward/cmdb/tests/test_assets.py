"""Asset register: assets linked to CIs, lifecycle actions, licences and compliance,
reminders before warranty and licence ends (once per item, end date and threshold)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from steward.cmdb import selectors, services
from steward.cmdb.models import Asset, Reminder
from steward.cmdb.services.assets import LicenceEnding, WarrantyEnding
from steward.cmdb.tests.conftest import audit_entries
from steward.core import events
from steward.core.errors import Conflict, InvalidTransition, NotPermitted
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def finance(db):
    return factories.person(roles=(Role.FINANCE,), username="fin")


@pytest.fixture
def server(classes, team):
    return factories.ci(ci_class=classes["hardware"], name="esx-01", support_team=team)


def test_an_asset_is_registered_against_its_ci(server, finance):
    asset = services.asset_create(
        actor=finance,
        name="Dell R760",
        ci=server,
        supplier="Dell China",
        purchase_date=dt.date(2025, 1, 10),
        cost=Decimal("123456.78"),
        warranty_end=dt.date(2028, 1, 9),
    )
    assert (asset.asset_tag, asset.cost, asset.lifecycle) == (
        f"AST-{asset.pk:06d}",
        Decimal("123456.78"),
        "in_stock",
    )
    assert server.asset == asset
    assert audit_entries(asset, "create").get().changes["cost"] == "123456.78"
    with pytest.raises(Conflict):
        services.asset_create(actor=finance, name="again", ci=server)


def test_the_lifecycle_follows_its_actions(server, finance):
    asset = services.asset_create(actor=finance, name="x", ci=server)
    deployed = services.asset_transition(actor=finance, asset=asset, action="deploy")
    assert (deployed.lifecycle, deployed.version) == ("deployed", 2)
    with pytest.raises(InvalidTransition):
        services.asset_transition(actor=finance, asset=deployed, action="dispose")


def test_agents_may_not_keep_the_register(server, engineer):
    with pytest.raises(NotPermitted):
        services.asset_create(actor=engineer, name="x")
    assert Asset.objects.count() == 0


def test_the_compliance_report_compares_entitlements_with_installations(classes, team, finance):
    office = services.licence_create(actor=finance, code="O365", product="Office", entitlements=1)
    services.licence_create(actor=finance, code="VS", product="Visual Studio", entitlements=5)
    for name in ("pc-1", "pc-2"):
        ci = factories.ci(ci_class=classes["hardware"], name=name, support_team=team)
        services.licence_install(actor=finance, licence=office, ci=ci, installed_on=TODAY)
    with pytest.raises(Conflict):
        services.licence_install(actor=finance, licence=office, ci=ci, installed_on=TODAY)

    report = selectors.licence_compliance_for(user=finance)

    assert [(r["code"], r["installed"], r["available"], r["compliant"]) for r in report] == [
        ("O365", 2, -1, False),
        ("VS", 0, 5, True),
    ]


def test_reminders_go_out_once_per_item_end_date_and_threshold(server, finance):
    asset = services.asset_create(
        actor=finance, name="x", warranty_end=TODAY + dt.timedelta(days=30)
    )
    services.asset_create(actor=finance, name="far", warranty_end=TODAY + dt.timedelta(days=200))
    licence = services.licence_create(
        actor=finance, code="L", product="p", entitlements=1, ends_on=TODAY + dt.timedelta(days=5)
    )
    seen: list[events.Event] = []
    events.subscribe(WarrantyEnding, seen.append)
    events.subscribe(LicenceEnding, seen.append)

    first = services.reminders_send(today=TODAY)
    again = services.reminders_send(today=TODAY)
    later = services.reminders_send(today=TODAY + dt.timedelta(days=25))

    assert (len(first), again, len(later)) == (2, [], 1)
    assert sorted(Reminder.objects.values_list("kind", "item_id", "days_before")) == [
        ("licence", licence.pk, 7),
        ("warranty", asset.pk, 7),
        ("warranty", asset.pk, 30),
    ]
    assert seen == []  # delivered on commit; the test transaction never commits


def test_the_asset_and_licence_endpoints(server, finance):
    client = Client()
    client.force_login(finance)
    base = "/api/v1/cmdb"
    created = client.post(
        f"{base}/assets",
        {"name": "Dell", "ci": server.ci_id, "cost": "999.50", "warranty_end": "2027-01-01"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    tag = created.json()["asset_tag"]
    assert (created.json()["ci_id"], created.json()["cost"]) == (server.ci_id, "999.50")
    acted = client.post(
        f"{base}/assets/{tag}/act", {"action": "deploy"}, content_type="application/json"
    )
    assert acted.json()["lifecycle"] == "deployed"
    bad = client.post(
        f"{base}/assets/{tag}/act", {"action": "receive"}, content_type="application/json"
    )
    assert (bad.status_code, bad.json()["code"]) == (409, "invalid_transition")
    client.post(
        f"{base}/licences",
        {"code": "O365", "product": "Office", "entitlements": 0},
        content_type="application/json",
    )
    installed = client.post(
        f"{base}/licences/O365/installations",
        {"ci": server.ci_id, "installed_on": "2026-11-01"},
        content_type="application/json",
    )
    assert (installed.status_code, installed.json()["installed"]) == (201, 1)
    [row] = client.get(f"{base}/licences/compliance").json()
    assert (row["code"], row["compliant"]) == ("O365", False)
    removed = client.delete(f"{base}/licences/O365/installations/{server.ci_id}")
    assert removed.status_code == 204
    requester = Client()
    requester.force_login(factories.person(roles=(Role.REQUESTER,)))
    assert requester.get(f"{base}/assets/{tag}").status_code == 404
    assert requester.get(f"{base}/licences/compliance").json() == []


def test_the_daily_job_sends_the_due_reminders(finance, monkeypatch):
    from django.utils import timezone

    from steward.cmdb import tasks

    services.asset_create(actor=finance, name="x", warranty_end=TODAY + dt.timedelta(days=3))
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert tasks.cmdb_send_end_reminders.call_local() == 1
    assert tasks.cmdb_send_end_reminders.call_local() == 0
