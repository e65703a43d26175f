"""Moving an incident to another service: audit, SLA clocks as of the open time, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steward.core.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from steward.core.outbox import OutboxStatus
from steward.incidents import services
from steward.incidents.events import IncidentReclassified
from steward.incidents.tests.conftest import SERVICE_DESK_STATES, at, audit_entries, state_of
from steward.sla import services as sla
from steward.sla.models import SlaClock, SlaMilestone
from steward.testing import factories

pytestmark = pytest.mark.django_db

FRIDAY = at(2026, 3, 6, 16, 0)  # a working Friday, 16:00 in Shanghai


@pytest.fixture
def network_service(china: Any, desk: Any) -> Any:
    """A second service with its own SLA: P2 first response 30 min, resolution 4 hours."""
    service = factories.service(
        code="NETW", name="门店网络", name_en="Store network", support_team=desk
    )
    agreement = sla.agreement_create(
        actor=None, code="SLA-NETW", name="门店网络服务级别协议", service=service,
        valid_from=dt.date(2026, 1, 1),
    )
    for kind, targets in (
        ("first_response", {"1": 15, "2": 30, "3": 60, "4": 120, "5": 240}),
        ("resolution", {"1": 120, "2": 240, "3": 480, "4": 960, "5": 1920}),
    ):
        sla.metric_set(
            actor=None, agreement=agreement, kind=kind, calendar=china, targets=targets,
            **SERVICE_DESK_STATES[kind],
        )
    sla.agreement_activate(actor=None, agreement=agreement)
    return service


@pytest.fixture
def held_p2(raise_incident: Any, agent: Any, clock: Any) -> Any:
    """P2 raised Friday 16:00, started 16:10, on hold 16:30-17:30; now Friday 17:45."""
    clock.set(FRIDAY)
    incident = raise_incident(impact=1, urgency=2)
    clock.set(at(2026, 3, 6, 16, 10))
    services.incident_start(actor=agent, incident=incident)
    clock.set(at(2026, 3, 6, 16, 30))
    services.incident_hold(actor=agent, incident=incident, reason="awaiting_vendor")
    clock.set(at(2026, 3, 6, 17, 30))
    services.incident_resume(actor=agent, incident=incident)
    clock.set(at(2026, 3, 6, 17, 45))
    incident.refresh_from_db()
    assert incident.priority == 2
    return incident


def _clocks(incident: Any) -> list[tuple[str, str, str, int]]:
    return list(
        SlaClock.objects.filter(record_number=incident.number)
        .order_by("pk")
        .values_list("agreement__code", "kind", "state", "elapsed_seconds")
    )


def test_reclassify_moves_the_sla_to_the_new_service_as_of_the_open_time(
    held_p2, agent, service, network_service, events
):
    with events.capture():
        moved = services.incident_reclassify(
            actor=agent, incident=held_p2, service=network_service,
            reason="实为门店网络故障", version=held_p2.version,
        )

    moved.refresh_from_db()
    assert (moved.service_id, moved.version) == (network_service.pk, held_p2.version + 1)
    entry = audit_entries(moved)[-1]
    assert (entry.action, entry.changes) == (
        "reclassify",
        {"service": [service.pk, network_service.pk], "reason": "实为门店网络故障"},
    )
    # Old: the first response was already met at 16:10; the resolution clock is cancelled.
    # New: first response met after 10 minutes; resolution 30 min + (hold) + 15 min so far.
    assert _clocks(moved) == [
        ("SLA-POS", "first_response", "met", 600),
        ("SLA-POS", "resolution", "cancelled", 2700),
        ("SLA-NETW", "first_response", "met", 600),
        ("SLA-NETW", "resolution", "running", 1800),
    ]
    cancelled = SlaClock.objects.get(agreement__code="SLA-POS", kind="resolution")
    assert cancelled.events.order_by("pk").last().detail == {
        "state": "reclassified", "result": "cancelled"
    }
    resolution = SlaClock.objects.get(agreement__code="SLA-NETW", kind="resolution")
    # 240 business minutes: 16:00-16:30 and 17:30-18:00 on Friday, then 9:00-12:00 Monday.
    assert resolution.started_at == FRIDAY
    assert resolution.due_at == at(2026, 3, 9, 12, 0)
    assert list(resolution.events.order_by("pk").values_list("kind", "at")) == [
        ("start", FRIDAY),
        ("pause", at(2026, 3, 6, 16, 30)),
        ("resume", at(2026, 3, 6, 17, 30)),
    ]
    milestones = list(
        SlaMilestone.objects.filter(clock=resolution)
        .order_by("percent")
        .values_list("percent", "status", "next_attempt_at")
    )
    assert milestones == [
        (50, "pending", at(2026, 3, 9, 10, 0)),
        (75, "pending", at(2026, 3, 9, 11, 0)),
        (90, "pending", at(2026, 3, 9, 11, 36)),
        (100, "pending", at(2026, 3, 9, 12, 0)),
    ]
    assert SlaMilestone.objects.filter(clock__record_number=moved.number).count() == 4
    assert events.items == [
        IncidentReclassified(
            incident_id=moved.pk, number=moved.number, actor_id=agent.pk,
            before=service.pk, after=network_service.pk, reason="实为门店网络故障",
        )
    ]


def test_thresholds_already_passed_fire_once_not_a_flood(
    held_p2, agent, network_service, clock
):
    clock.set(at(2026, 3, 9, 11, 10))  # Monday: 60 + 130 = 190 of 240 minutes (79 %)

    services.incident_reclassify(
        actor=agent, incident=held_p2, service=network_service, reason="实为网络",
        version=held_p2.version,
    )

    resolution = SlaClock.objects.get(agreement__code="SLA-NETW", kind="resolution")
    assert list(
        SlaMilestone.objects.filter(clock=resolution)
        .order_by("percent")
        .values_list("percent", "status")
    ) == [(50, "done"), (75, "pending"), (90, "pending"), (100, "pending")]
    skipped = SlaMilestone.objects.get(clock=resolution, percent=50)
    assert sla.milestone_fire(milestone_id=skipped.pk, now=at(2026, 3, 9, 11, 10)) is False
    fired = sla.milestone_fire(
        milestone_id=SlaMilestone.objects.get(clock=resolution, percent=75).pk,
        now=at(2026, 3, 9, 11, 10),
    )
    assert fired is True
    assert not SlaMilestone.objects.filter(
        clock=resolution, status=OutboxStatus.PENDING, percent__lt=90
    ).exists()


def test_a_service_without_agreement_gets_no_clocks(held_p2, agent, desk):
    plain = factories.service(code="MISC", name="其他", support_team=desk)

    services.incident_reclassify(
        actor=agent, incident=held_p2, service=plain, reason="不属于收银", version=held_p2.version
    )

    assert [row[2] for row in _clocks(held_p2)] == ["met", "cancelled"]


@pytest.mark.parametrize(
    ("who", "reason", "stale", "error"),
    [
        ("agent", "  ", False, ValidationFailed),
        ("requester", "实为网络", False, NotPermitted),
        ("agent", "实为网络", True, Conflict),
    ],
)
def test_refusals_change_nothing(
    held_p2, agent, requester, network_service, who, reason, stale, error, events
):
    before = state_of(held_p2)
    actor = agent if who == "agent" else requester
    with events.capture(), pytest.raises(error):
        services.incident_reclassify(
            actor=actor, incident=held_p2, service=network_service, reason=reason,
            version=held_p2.version - (1 if stale else 0),
        )
    assert state_of(held_p2) == before
    assert events.items == []


def test_a_closed_incident_cannot_be_reclassified(incident_in, agent, network_service):
    incident = incident_in("closed")
    before = state_of(incident)
    with pytest.raises(InvalidTransition):
        services.incident_reclassify(
            actor=agent, incident=incident, service=network_service, reason="实为网络",
            version=incident.version,
        )
    assert state_of(incident) == before


def test_a_retired_ci_is_refused_when_raising(raise_incident, pos_server, admin):
    from steward.cmdb.services import ci_retire
    from steward.incidents.models import Incident

    ci_retire(actor=admin, ci=pos_server)
    with pytest.raises(ValidationFailed) as refused:
        raise_incident(ci=pos_server)
    assert refused.value.field == "ci_id"
    assert Incident.objects.count() == 0


def test_a_reopened_incident_replays_its_resolution_and_reopen(
    incident_in, agent, requester, network_service, clock
):
    incident = incident_in("resolved")
    clock.advance(hours=1)
    incident = services.incident_reopen(actor=requester, incident=incident, reason="又黑屏了")
    clock.advance(minutes=30)

    services.incident_reclassify(
        actor=agent, incident=incident, service=network_service, reason="实为网络",
        version=incident.version,
    )

    resolution = SlaClock.objects.get(agreement__code="SLA-NETW", kind="resolution")
    assert resolution.state == "running"
    assert list(resolution.events.order_by("pk").values_list("kind", flat=True)) == [
        "start", "stop", "reopen"
    ]
