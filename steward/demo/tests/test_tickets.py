"""The demo's service desk history: consistent records, as the services would leave them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.audit.services import audit_verify
from steward.core.outbox import OutboxStatus
from steward.demo import catalogue, tickets
from steward.demo.organisation import DemoResult, load_departments_and_sites, load_people
from steward.identity.models import Person
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.models import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    Comment,
    Incident,
    IncidentStatus,
)
from steward.incidents.selectors import incident_list_for
from steward.incidents.services.numbering import number_last
from steward.sla.models import ClockState, SlaClock, SlaMilestone

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
S = IncidentStatus


@pytest.fixture
def chain() -> None:
    """The demo organisation and catalogue (no CMDB: the history does not need it)."""
    result = DemoResult()
    load_people(load_departments_and_sites(result), result)
    catalogue.load()


def _signature(ctx: tickets.HistoryContext) -> list[tuple[object, ...]]:
    plans = tickets.plans_daily(ctx, lambda impact, urgency: min(5, impact + urgency - 1))
    plans += tickets.plans_major(ctx)
    return [
        (p.opened_at, p.title, p.requester_id, [(s.at, s.action, s.actor_id) for s in p.steps])
        for p in plans
    ]


def test_the_same_seed_plans_the_same_history(chain):
    first = _signature(tickets.context_build(days=20, scale=0.2, seed=7, now=NOW))
    second = _signature(tickets.context_build(days=20, scale=0.2, seed=7, now=NOW))
    other = _signature(tickets.context_build(days=20, scale=0.2, seed=8, now=NOW))

    assert first == second
    assert first != other
    assert len(first) > 50


def test_history_records_are_consistent_and_visible(chain):
    written = tickets.load_history(days=30, scale=0.2, now=NOW)

    total = written["load_incidents"]
    incidents = list(Incident.objects.order_by("id"))
    assert len(incidents) == total
    assert 150 < total < 400
    assert [i.number for i in incidents] == [f"INC-{n:06d}" for n in range(1, total + 1)]
    assert number_last() == total
    assert [i.opened_at for i in incidents] == sorted(i.opened_at for i in incidents)
    for i in incidents:
        assert NOW - dt.timedelta(days=31) <= i.opened_at <= i.updated_at <= NOW, i.number
        assert (i.resolved_at is not None) == (i.status in (S.RESOLVED, S.CLOSED)), i.number
        assert (i.closed_at is not None) == (i.status in TERMINAL_STATUSES), i.number
        assert (i.hold_reason != "") == (i.status == S.ON_HOLD), i.number
        assert (i.resolution_code != "") == (i.resolved_at is not None), i.number
        if i.resolved_at is not None:
            assert i.first_responded_at is not None
            assert i.opened_at <= i.first_responded_at <= i.resolved_at, i.number
        if i.status == S.CLOSED:
            assert i.resolved_at <= i.closed_at, i.number
        if i.assignee_id is not None:
            assert i.team.memberships.filter(person_id=i.assignee_id).exists(), i.number
    statuses = {i.status for i in incidents}
    assert {S.CLOSED, S.RESOLVED, S.CANCELLED} <= statuses
    assert statuses & set(OPEN_STATUSES)
    assert sum(i.reopen_count for i in incidents) >= 1


def test_history_clocks_match_the_incidents(chain):
    tickets.load_history(days=30, scale=0.2, now=NOW)

    content_type = ContentType.objects.get_for_model(Incident)
    clocks = SlaClock.objects.filter(content_type=content_type)
    by_incident = {i.pk: i for i in Incident.objects.all()}
    assert clocks.count() >= 2 * len(by_incident) - len(by_incident) // 10
    for clock in clocks:
        incident = by_incident[clock.object_id]
        assert clock.record_number == incident.number
        assert clock.started_at == incident.opened_at
        if clock.state in (ClockState.MET, ClockState.BREACHED):
            assert (clock.state == ClockState.BREACHED) == (
                clock.elapsed_seconds > clock.target_seconds
            )
            assert (clock.breached_at is not None) == (clock.state == ClockState.BREACHED)
            assert clock.stopped_at is not None
        if incident.status in TERMINAL_STATUSES:
            assert clock.state not in (ClockState.RUNNING, ClockState.PAUSED), incident.number
        if clock.kind == "resolution" and incident.status in OPEN_STATUSES:
            assert clock.state in (ClockState.RUNNING, ClockState.PAUSED), incident.number
    running = clocks.filter(state=ClockState.RUNNING)
    assert running.exists()
    assert not running.filter(due_at__isnull=True).exists()
    pending = SlaMilestone.objects.filter(clock__in=running, status=OutboxStatus.PENDING)
    assert set(pending.values_list("clock_id", flat=True)) == set(
        running.values_list("pk", flat=True)
    )
    states = set(clocks.values_list("state", flat=True))
    assert {ClockState.MET, ClockState.BREACHED} <= states


def test_history_has_conversation_audit_and_major_incidents(chain):
    tickets.load_history(days=30, scale=0.2, now=NOW)

    incidents = Incident.objects.all()
    assert audit_verify().ok
    created = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident), action="create"
    )
    assert created.count() == incidents.count()
    assert (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Comment)).count()
        == Comment.objects.count()
    )
    assert Comment.objects.filter(visibility="internal").exists()
    assert Comment.objects.filter(visibility="public").exists()
    majors = list(incidents.filter(is_major=True))
    assert majors
    for major in majors:
        linked = Comment.objects.filter(body__contains=major.number, visibility="internal")
        assert linked.count() >= 2


def test_history_is_visible_through_the_selectors(chain):
    tickets.load_history(days=30, scale=0.2, now=NOW)
    director = Person.objects.get(username="it.director")
    net_lead = Person.objects.get(username="net.lead")
    requester = Incident.objects.order_by("id").first().requester

    everything = incident_list_for(user=director)
    network = incident_list_for(user=net_lead)
    mine = incident_list_for(
        user=requester, filters=IncidentFilters(queue=IncidentQueue.RAISED_BY_ME)
    )

    assert everything.count() == Incident.objects.count()
    assert network.count() == Incident.objects.filter(team__code="NET").count() > 0
    assert mine.count() == Incident.objects.filter(requester=requester).count() >= 1


def test_history_loads_once_and_not_at_scale_zero(chain):
    assert tickets.load_history(days=30, scale=0, now=NOW) == {}
    first = tickets.load_history(days=10, scale=0.1, now=timezone.now())
    again = tickets.load_history(days=10, scale=0.1, now=timezone.now())

    assert first["load_incidents"] == Incident.objects.count() > 0
    assert again == {"load_incidents": 0, "load_requests": 0, "load_ratings": 0}
