"""Bulk edits through the single-record services (one audit entry per record, refusals
reported per record), and saved queue views."""

from __future__ import annotations

import pytest

from steward.core.errors import (
    BusinessRuleViolation,
    Conflict,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from steward.identity.models import Role
from steward.incidents import selectors_major
from steward.incidents.models import SavedView
from steward.incidents.services import bulk, saved_views
from steward.incidents.tests.conftest import audit_entries, state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(incident_in, network, agent):
    """Two incidents the desk agent works, one of the network team, one the agent cannot see
    (restricted to the network team)."""
    mine = [incident_in("new"), incident_in("in_progress")]
    foreign = incident_in("new", requester=agent)  # seen by the agent as its requester
    foreign.team = network
    foreign.save(update_fields=["team"])
    hidden = incident_in("new", restricted=True, actor=agent)
    hidden.team = network
    hidden.save(update_fields=["team"])
    return mine, foreign, hidden


def test_bulk_assign_runs_the_assign_service_per_record(rows, agent, desk):
    mine, foreign, hidden = rows
    numbers = [i.number for i in (*mine, foreign, hidden)]
    audit_before = [len(audit_entries(i)) for i in mine]
    foreign_before = state_of(foreign)

    results = bulk.incident_bulk_apply(
        actor=agent, numbers=numbers, operation="assign", assignee=agent
    )

    assert [(r.number, r.done, r.code) for r in results] == [
        (mine[0].number, True, ""),
        (mine[1].number, True, ""),
        (foreign.number, False, "not_permitted"),
        (hidden.number, False, "not_found"),
    ]
    for incident, count in zip(mine, audit_before, strict=True):
        incident.refresh_from_db()
        assert (incident.status, incident.assignee_id) == ("assigned", agent.pk)
        assert [e.action for e in audit_entries(incident)][count:] == ["assign"]
    assert state_of(foreign) == foreign_before


def test_bulk_priority_needs_a_reason_and_then_changes_every_record(rows, agent):
    mine, _foreign, _hidden = rows
    before = [state_of(i) for i in mine]
    with pytest.raises(ValidationFailed) as error:
        bulk.incident_bulk_apply(
            actor=agent,
            numbers=[i.number for i in mine],
            operation="priority",
            priority=2,
            reason=" ",
        )
    assert error.value.field == "reason"
    assert [state_of(i) for i in mine] == before

    results = bulk.incident_bulk_apply(
        actor=agent,
        numbers=[i.number for i in mine],
        operation="priority",
        priority=2,
        reason="门店批量报障",
    )

    assert [r.done for r in results] == [True, True]
    for incident in mine:
        incident.refresh_from_db()
        assert incident.priority == 2
        assert audit_entries(incident)[-1].changes["reason"] == "门店批量报障"


def test_bulk_hold_reports_a_record_in_the_wrong_status(rows, agent):
    mine, _foreign, _hidden = rows
    new, in_progress = mine
    before = state_of(new)

    results = bulk.incident_bulk_apply(
        actor=agent,
        numbers=[new.number, in_progress.number],
        operation="hold",
        hold_reason="awaiting_vendor",
    )

    assert [(r.done, r.code) for r in results] == [(False, "invalid_transition"), (True, "")]
    assert state_of(new) == before
    in_progress.refresh_from_db()
    assert in_progress.status == "on_hold"


def test_bulk_work_note_adds_one_note_per_record(rows, agent):
    mine, _foreign, _hidden = rows

    bulk.incident_bulk_apply(
        actor=agent, numbers=[i.number for i in mine], operation="note", note="厂商已确认"
    )

    assert [i.comments.get().body for i in mine] == ["厂商已确认", "厂商已确认"]


@pytest.mark.parametrize(
    ("operation", "field"), [("delete", "operation"), ("assign", "assignee_id"), ("note", "note")]
)
def test_bad_bulk_input_does_nothing(rows, agent, operation, field):
    mine, _foreign, _hidden = rows
    before = [state_of(i) for i in mine]
    with pytest.raises(ValidationFailed) as error:
        bulk.incident_bulk_apply(actor=agent, numbers=[i.number for i in mine], operation=operation)
    assert error.value.field == field
    assert [state_of(i) for i in mine] == before


FILTERS = {"queue": "my_teams", "status": ["new", "assigned"], "priority": ["1", 2], "q": "收银"}


def test_a_view_is_saved_private_or_shared_with_a_team(agent, lead, network_agent, desk):
    private = saved_views.saved_view_create(actor=agent, name="我的 P1", filters=FILTERS)
    shared = saved_views.saved_view_create(actor=agent, name="门店收银", filters={}, team=desk)

    assert private.filters == {
        "queue": "my_teams",
        "status": ["assigned", "new"],
        "priority": [1, 2],
        "q": "收银",
    }
    assert selectors_major.saved_views_for(user=agent) == {"mine": [private, shared], "team": []}
    assert selectors_major.saved_views_for(user=lead) == {"mine": [], "team": [shared]}
    assert selectors_major.saved_views_for(user=network_agent) == {"mine": [], "team": []}
    with pytest.raises(NotFound):
        selectors_major.saved_view_get_for(user=network_agent, view_id=private.pk)


def test_saved_view_refusals_save_nothing(agent, network, desk, requester):
    saved_views.saved_view_create(actor=agent, name="P1", filters={})
    with pytest.raises(BusinessRuleViolation) as taken:
        saved_views.saved_view_create(actor=agent, name=" P1 ", filters={})
    assert taken.value.code == "view_name_taken"
    with pytest.raises(NotPermitted):
        saved_views.saved_view_create(actor=agent, name="网络", filters={}, team=network)
    with pytest.raises(NotPermitted):
        saved_views.saved_view_create(actor=requester, name="mine", filters={})
    for bad, field in (
        ({"queue": "x"}, "filters.queue"),
        ({"status": ["x"]}, "filters.status"),
        ({"priority": [9]}, "filters.priority"),
        ({"sort": "x"}, "filters.sort"),
        ({"owner": 1}, "filters"),
    ):
        with pytest.raises(ValidationFailed) as error:
            saved_views.saved_view_create(actor=agent, name="bad", filters=bad)
        assert error.value.field == field
    assert list(SavedView.objects.values_list("name", flat=True)) == ["P1"]


def test_only_the_owner_edits_or_deletes_a_view(agent, lead, desk):
    view = saved_views.saved_view_create(actor=agent, name="P1", filters={}, team=desk)
    with pytest.raises(NotPermitted):
        saved_views.saved_view_update(actor=lead, view=view, version=1, name="x", filters={})
    with pytest.raises(NotPermitted):
        saved_views.saved_view_delete(actor=lead, view=view)
    with pytest.raises(Conflict):
        saved_views.saved_view_update(actor=agent, view=view, version=7, name="x", filters={})
    view.refresh_from_db()
    assert (view.name, view.version) == ("P1", 1)

    changed = saved_views.saved_view_update(
        actor=agent,
        view=view,
        version=1,
        name="P1 和 P2",
        filters={"priority": [1, 2], "sort": "priority"},
    )
    assert (changed.name, changed.filters, changed.team_id, changed.version) == (
        "P1 和 P2",
        {"queue": "all", "priority": [1, 2], "sort": "priority"},
        None,
        2,
    )
    saved_views.saved_view_delete(actor=agent, view=changed)
    assert SavedView.objects.count() == 0


def test_an_auditor_cannot_bulk_edit(rows):
    auditor = factories.person(roles=(Role.AUDITOR,))
    mine, _foreign, _hidden = rows
    before = [state_of(i) for i in mine]
    results = bulk.incident_bulk_apply(
        actor=auditor, numbers=[i.number for i in mine], operation="note", note="x"
    )
    assert {r.done for r in results} == {False}
    assert [state_of(i) for i in mine] == before
