"""Public replies and internal work notes: first response, automatic resume, and work notes
that requesters never see."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from steward.audit.models import AuditEntry
from steward.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from steward.incidents import selectors, services
from steward.incidents.events import IncidentReplied, IncidentResumed, IncidentWorkNoteAdded
from steward.incidents.models import Comment
from steward.incidents.tests.conftest import at, audit_entries, clocks, state_of

pytestmark = pytest.mark.django_db


def test_first_public_agent_reply_is_the_first_response(raise_incident, agent, clock, events):
    incident = raise_incident(impact=1, urgency=2)
    clock.advance(minutes=12)

    with events.capture():
        comment = services.incident_comment(
            actor=agent, incident=incident, body="请先确认电源指示灯是否亮起。", public=True
        )

    incident.refresh_from_db()
    assert (incident.status, incident.first_responded_at) == ("new", at(2026, 3, 2, 10, 27))
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.changes) == (
        "respond",
        {"first_responded_at": [None, "2026-03-02T02:27:00+00:00"]},
    )
    first = clocks(incident)["first_response"]
    assert (first.state, first.elapsed_seconds) == ("met", 12 * 60)
    assert clocks(incident)["resolution"].state == "running"
    assert (comment.visibility, comment.author_id, comment.created_at) == (
        "public",
        agent.pk,
        at(2026, 3, 2, 10, 27),
    )
    assert events.items == [
        IncidentReplied(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=agent.pk,
            comment_id=comment.pk,
            by_requester=False,
        )
    ]


def test_later_replies_keep_the_first_response_time(raise_incident, agent, clock):
    incident = raise_incident()
    services.incident_comment(actor=agent, incident=incident, body="第一次回复", public=True)
    clock.advance(minutes=30)
    services.incident_comment(actor=agent, incident=incident, body="第二次回复", public=True)

    incident.refresh_from_db()
    assert incident.first_responded_at == at(2026, 3, 2, 10, 15)
    assert incident.updated_at == at(2026, 3, 2, 10, 45)
    assert [e.action for e in audit_entries(incident)] == ["create", "respond"]


def test_a_work_note_is_not_a_response_and_requesters_never_see_it(
    raise_incident, agent, requester, events
):
    incident = raise_incident()

    with events.capture():
        note = services.incident_comment(
            actor=agent, incident=incident, body="怀疑是门店交换机故障", public=False
        )

    incident.refresh_from_db()
    assert (incident.first_responded_at, clocks(incident)["first_response"].state) == (
        None,
        "running",
    )
    assert list(selectors.incident_comments_for(user=agent, incident=incident)) == [note]
    assert list(selectors.incident_comments_for(user=requester, incident=incident)) == []
    timeline = selectors.incident_timeline_for(user=requester, incident=incident)
    assert all("交换机" not in str(item) for item in timeline)
    assert events.items == [
        IncidentWorkNoteAdded(
            incident_id=incident.pk, number=incident.number, actor_id=agent.pk, comment_id=note.pk
        )
    ]


def test_a_work_note_is_audited_on_the_comment_not_on_the_incident(raise_incident, agent):
    incident = raise_incident()
    note = services.incident_comment(actor=agent, incident=incident, body="内部备注", public=False)

    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Comment), object_id=str(note.pk)
    )
    assert (entry.action, entry.actor_id, entry.changes) == (
        "create",
        agent.pk,
        {"incident": incident.number, "visibility": "internal", "body": "内部备注"},
    )
    assert [e.action for e in audit_entries(incident)] == ["create"]


def test_requesters_reply_resumes_an_incident_awaiting_them(incident_in, requester, clock, events):
    incident = incident_in("on_hold", hold_reason="awaiting_requester")
    clock.advance(hours=2)

    with events.capture():
        comment = services.incident_comment(
            actor=requester, incident=incident, body="指示灯是亮的。", public=True
        )

    incident.refresh_from_db()
    assert (incident.status, incident.hold_reason) == ("in_progress", "")
    entry = audit_entries(incident)[-1]
    assert (entry.action, entry.actor_id, entry.changes) == (
        "resume",
        requester.pk,
        {
            "status": ["on_hold", "in_progress"],
            "hold_reason": ["awaiting_requester", ""],
            "automatic": True,
        },
    )
    assert clocks(incident)["resolution"].state == "running"
    assert events.items == [
        IncidentReplied(
            incident_id=incident.pk,
            number=incident.number,
            actor_id=requester.pk,
            comment_id=comment.pk,
            by_requester=True,
        ),
        IncidentResumed(
            incident_id=incident.pk, number=incident.number, actor_id=requester.pk, automatic=True
        ),
    ]


def test_requesters_reply_leaves_an_incident_awaiting_a_vendor_on_hold(incident_in, requester):
    incident = incident_in("on_hold", hold_reason="awaiting_vendor")
    services.incident_comment(actor=requester, incident=incident, body="还要等多久？", public=True)
    incident.refresh_from_db()
    assert (incident.status, incident.hold_reason) == ("on_hold", "awaiting_vendor")
    assert clocks(incident)["resolution"].state == "paused"


def test_requesters_may_not_write_work_notes(raise_incident, requester, events):
    incident = raise_incident()
    before = state_of(incident)
    with events.capture(), pytest.raises(NotPermitted):
        services.incident_comment(actor=requester, incident=incident, body="x", public=False)
    assert (state_of(incident), events.items) == (before, [])


def test_agents_of_another_team_may_not_comment(raise_incident, network_agent):
    incident = raise_incident()
    before = state_of(incident)
    with pytest.raises(NotPermitted):
        services.incident_comment(actor=network_agent, incident=incident, body="x", public=True)
    assert state_of(incident) == before


def test_no_comments_on_a_closed_incident(incident_in, requester):
    incident = incident_in("closed")
    before = state_of(incident)
    with pytest.raises(InvalidTransition):
        services.incident_comment(actor=requester, incident=incident, body="还是坏的", public=True)
    assert state_of(incident) == before


def test_an_empty_comment_is_refused(raise_incident, requester):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as error:
        services.incident_comment(actor=requester, incident=incident, body="  ", public=True)
    assert error.value.field == "body"


def test_the_timeline_merges_changes_comments_and_sla_events_for_staff(
    raise_incident, agent, requester, clock
):
    incident = raise_incident()
    clock.advance(minutes=5)
    services.incident_comment(actor=requester, incident=incident, body="很急", public=True)
    clock.advance(minutes=5)
    services.incident_comment(actor=agent, incident=incident, body="内部：查日志", public=False)
    clock.advance(minutes=5)
    services.incident_start(actor=agent, incident=incident)

    staff = [
        (item.kind, item.action)
        for item in selectors.incident_timeline_for(user=agent, incident=incident)
    ]
    assert staff == [
        ("change", "create"),
        ("sla", "start"),
        ("sla", "start"),
        ("comment", "public"),
        ("comment", "internal"),
        ("change", "start"),
        ("sla", "stop"),
    ]
    mine = [
        (item.kind, item.action)
        for item in selectors.incident_timeline_for(user=requester, incident=incident)
    ]
    assert mine == [("change", "create"), ("comment", "public"), ("change", "start")]
