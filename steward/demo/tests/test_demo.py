"""The demo organisation: realistic, complete, and loaded only once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from steward.audit.services import audit_verify
from steward.identity.models import Department, Person, Role, Site, SiteKind, Team
from steward.identity.permissions import roles_of

pytestmark = pytest.mark.django_db


def test_demo_loads_the_retail_chain_once_and_its_accounts_sign_in(capsys, client):
    call_command("demo_load", history_scale=0)
    first = capsys.readouterr().out
    counts = (
        Person.objects.count(),
        Site.objects.count(),
        Department.objects.count(),
        Team.objects.count(),
    )
    call_command("demo_load", history_scale=0)
    second = capsys.readouterr().out
    assert (
        Person.objects.count(),
        Site.objects.count(),
        Department.objects.count(),
        Team.objects.count(),
    ) == counts
    assert "records created" in first
    assert "nothing duplicated" in second
    assert "store.manager" in second
    assert "Steward-demo-2026" in second

    assert Site.objects.filter(kind=SiteKind.STORE).count() == 300
    assert set(Site.objects.filter(kind=SiteKind.STORE).values_list("region", flat=True)) == {
        "EAST",
        "NORTH",
        "SOUTH",
        "CENTRAL",
        "WEST",
    }
    assert {"FIN", "HR", "LOG", "SALES", "IT"} <= set(
        Department.objects.values_list("code", flat=True)
    )
    assert list(Team.objects.order_by("code").values_list("code", flat=True)) == [
        "APP",
        "DESK",
        "INFRA",
        "NET",
        "SEC",
    ]
    it_people = Person.objects.filter(department__code="IT").count()
    assert 18 <= it_people <= 25
    assert Person.objects.filter(site__kind=SiteKind.STORE).count() == 300
    assert Person.objects.exclude(name_en="").count() == Person.objects.count()
    assert Person.objects.filter(language="zh-hans").count() > Person.objects.count() * 0.9
    assert roles_of(Person.objects.get(username="auditor")) == {Role.AUDITOR}
    assert Role.ADMINISTRATOR in roles_of(Person.objects.get(username="it.director"))
    assert audit_verify().ok

    # The demo accounts printed by the command sign in with the printed password (one load
    # for both checks: loading the demo is the slowest step of the suite).
    for username in ("it.director", "desk.agent", "store.manager", "auditor"):
        assert client.login(username=username, password="Steward-demo-2026"), username
