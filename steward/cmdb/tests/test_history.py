"""Unauthorised changes: flagged on classes under change control, reviewed by change managers."""

from __future__ import annotations

import pytest

from steward.cmdb import selectors, services
from steward.cmdb.models import CiChange
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def server(classes, team):
    return factories.ci(
        ci_class=classes["server"],
        name="ESX-01",
        support_team=team,
        attributes={"mgmt_ip": "10.0.1.1"},
        change_number="CHG-1",
    )


def test_a_change_without_a_change_record_on_a_controlled_class_is_flagged(server, engineer):
    services.ci_update(actor=engineer, ci=server, changes={"name": "ESX-01a", "criticality": 2})
    services.ci_update(
        actor=engineer, ci=server, changes={"name": "ESX-01b"}, change_number="CHG-2"
    )
    flagged = list(
        selectors.unauthorised_changes_for(user=engineer)
        .order_by("id")
        .values_list("field", "after", "change_number")
    )
    assert flagged == [("criticality", 2, None), ("name", "ESX-01a", None)]
    assert not CiChange.objects.filter(ci=server, action="create", unauthorised=True).exists()


def test_changes_to_uncontrolled_classes_and_relations_to_controlled_ones(classes, server):
    app = factories.ci(ci_class=classes["software"], name="app")
    services.ci_update(actor=None, ci=app, changes={"name": "app2"})
    assert not CiChange.objects.filter(unauthorised=True).exists()
    services.relation_add(actor=None, source=app, kind="runs_on", target=server)
    [row] = CiChange.objects.filter(unauthorised=True)
    assert (row.ci_id, row.field) == (app.pk, "relations.runs_on")


def test_a_change_manager_reviews_the_whole_operation_once(server, engineer, change_manager):
    services.ci_update(actor=engineer, ci=server, changes={"name": "ESX-01a", "criticality": 2})
    first, second = CiChange.objects.filter(unauthorised=True).order_by("id")
    with pytest.raises(NotPermitted):
        services.change_review(actor=engineer, change=first, note="ok")
    reviewed = services.change_review(
        actor=change_manager, change=first, note="紧急扩容，补单", change_number="chg-33"
    )
    assert (reviewed.reviewed_by_id, reviewed.review_note, reviewed.change_number) == (
        change_manager.pk,
        "紧急扩容，补单",
        "CHG-33",
    )
    second.refresh_from_db()
    assert (second.reviewed_by_id, second.change_number) == (change_manager.pk, "CHG-33")
    assert list(selectors.unauthorised_changes_for(user=change_manager)) == []
    assert len(selectors.unauthorised_changes_for(user=change_manager, reviewed=True)) == 2
    assert audit_entries(first, "review").get().changes == {
        "note": "紧急扩容，补单",
        "change_number": "CHG-33",
    }
    with pytest.raises(Conflict):
        services.change_review(actor=change_manager, change=second)


def test_an_authorised_change_has_nothing_to_review(server, change_manager):
    row = CiChange.objects.filter(ci=server).first()
    with pytest.raises(ValidationFailed):
        services.change_review(actor=change_manager, change=row)
    auditor = factories.person(roles=(Role.AUDITOR, Role.CHANGE_MANAGER))
    services.ci_update(actor=None, ci=server, changes={"name": "x"})
    with pytest.raises(NotPermitted):
        services.change_review(actor=auditor, change=CiChange.objects.get(unauthorised=True))
