"""The incident model: the transition table is complete and consistent, the check
constraints refuse inconsistent rows, the priority matrix is seeded and pure."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from steward.incidents import permissions, services
from steward.incidents.models import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Incident,
    IncidentPolicy,
    IncidentStatus,
    NumberSequence,
    PriorityRule,
)
from steward.incidents.priority import DEFAULT_MATRIX, priority_for
from steward.incidents.services.numbering import number_last
from steward.workitems.registry import record_type_for_number

ACTIONS = ["assign", "start", "hold", "resume", "resolve", "reopen", "close", "cancel", "merge"]


def test_the_table_names_exactly_the_nine_actions():
    assert TRANSITIONS.actions == ACTIONS


def test_every_status_appears_in_the_table():
    assert TRANSITIONS.states() == set(IncidentStatus.values)


def test_terminal_statuses_have_no_outgoing_actions():
    assert {status: TRANSITIONS.allowed(status) for status in TERMINAL_STATUSES} == {
        "closed": [],
        "cancelled": [],
    }


def test_every_open_status_can_be_resolved_and_cancelled():
    assert all(
        {"resolve", "cancel"} <= set(TRANSITIONS.allowed(status)) for status in OPEN_STATUSES
    )


def test_allowed_actions_per_status():
    assert {status: Incident(status=status).allowed_actions() for status in IncidentStatus} == {
        "new": ["assign", "start", "resolve", "cancel", "merge"],
        "assigned": ["assign", "start", "resolve", "cancel", "merge"],
        "in_progress": ["assign", "hold", "resolve", "cancel", "merge"],
        "on_hold": ["resume", "resolve", "cancel", "merge"],
        "resolved": ["reopen", "close", "merge"],
        "closed": [],
        "cancelled": [],
    }


def test_every_action_has_a_keyword_only_service_and_a_permission():
    assert sorted(services.ACTION_SERVICES) == sorted(ACTIONS)
    assert sorted(permissions.ACTION_CHECKS) == sorted(ACTIONS)
    for action, service in services.ACTION_SERVICES.items():
        parameters = inspect.signature(service).parameters.values()
        assert service.__name__ == f"incident_{action}"
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "fields"),
    [
        ("resolved without resolved_at", {"status": "resolved", "resolution_code": "user_error"}),
        ("closed without resolved_at", {"status": "closed", "resolution_code": "user_error"}),
        ("resolved without a code", {"status": "resolved", "resolved_at": "now"}),
        ("on hold without a reason", {"status": "on_hold"}),
        ("a reason while not on hold", {"status": "in_progress", "hold_reason": "awaiting_vendor"}),
        ("cancelled without closed_at", {"status": "cancelled"}),
        ("open with closed_at", {"status": "new", "closed_at": "now"}),
        ("unknown status", {"status": "parked"}),
        ("impact out of range", {"impact": 4}),
        ("priority out of range", {"priority": 6}),
    ],
)
def test_check_constraints_refuse_inconsistent_rows(_case, fields, clock):
    from steward.testing import factories

    requester = factories.person()
    values = {k: (clock() if v == "now" else v) for k, v in fields.items()}
    row = Incident(number="INC-900001", title="x", requester=requester, **values)

    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.django_db
def test_a_consistent_resolved_row_is_accepted(clock):
    from steward.testing import factories

    row = Incident(
        number="INC-900002",
        title="x",
        requester=factories.person(),
        status="closed",
        resolved_at=clock(),
        closed_at=clock(),
        resolution_code="solution_provided",
    )
    row.save()
    assert Incident.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_the_default_matrix_and_policy_are_seeded():
    seeded = {(r.impact, r.urgency): r.priority for r in PriorityRule.objects.all()}
    policy = IncidentPolicy.objects.get()

    assert seeded == DEFAULT_MATRIX
    assert (policy.pk, policy.reopen_window_days, policy.auto_close_days) == (1, 7, 7)
    assert NumberSequence.objects.get(prefix="INC").last_value == 0
    assert number_last() == 0


@pytest.mark.django_db
def test_rerunning_the_matrix_seed_keeps_an_edited_cell():
    PriorityRule.objects.filter(impact=1, urgency=3).update(priority=2)
    seed = importlib.import_module("steward.incidents.migrations.0002_seed_priority_matrix")

    seed.seed(apps, None)

    assert PriorityRule.objects.count() == 9
    assert PriorityRule.objects.get(impact=1, urgency=3).priority == 2


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (1, 1, 1),
        (1, 2, 2),
        (1, 3, 3),
        (2, 1, 2),
        (2, 2, 3),
        (2, 3, 4),
        (3, 1, 3),
        (3, 2, 4),
        (3, 3, 5),
    ],
)
def test_priority_for_follows_the_itil_matrix(impact, urgency, expected):
    assert priority_for(impact, urgency) == expected


def test_priority_for_uses_the_given_matrix_and_falls_back_per_cell():
    assert priority_for(1, 3, {(1, 3): 2}) == 2
    assert priority_for(2, 2, {(1, 3): 2}) == 3


@pytest.mark.parametrize(("impact", "urgency"), [(0, 1), (1, 4), (4, 4)])
def test_priority_for_refuses_levels_outside_the_matrix(impact, urgency):
    with pytest.raises(ValueError, match="1..3"):
        priority_for(impact, urgency)


def test_incidents_are_a_registered_record_type():
    record_type = record_type_for_number("INC-000001")
    assert record_type is not None
    assert (record_type.model, record_type.prefix) == (Incident, "INC")


@pytest.mark.django_db
def test_labels_and_errors_are_translated():
    from django.utils import translation

    from steward.core.errors import NotFound
    from steward.incidents.selectors import incident_get_for
    from steward.testing import factories

    person = factories.person()
    with translation.override("zh-hans"), pytest.raises(NotFound) as chinese:
        incident_get_for(user=person, number="INC-000404")
    with translation.override("en"), pytest.raises(NotFound) as english:
        incident_get_for(user=person, number="INC-000404")
    with translation.override("zh-hans"):
        labels = [str(label) for label in IncidentStatus.labels]

    assert (english.value.message, chinese.value.message) == (
        "No incident INC-000404.",
        "没有故障 INC-000404。",
    )
    assert labels == ["新建", "已分派", "处理中", "挂起", "已解决", "已关闭", "已取消"]
