"""Major incidents: the criteria as data, declaring, the communications log with its
notifications, the scheduled-update reminder, and the review that must precede closing."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.catalogue.models import Service
from steward.core import events as core_events
from steward.core.errors import BusinessRuleViolation, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.incidents import services
from steward.incidents.events_major import MAJOR_EVENTS, MajorUpdateOverdue, MajorUpdateWritten
from steward.incidents.models import (
    CommsEntry,
    IncidentLink,
    MajorIncident,
    MajorIncidentPolicy,
    MajorReview,
)
from steward.incidents.services import major, major_comms, review
from steward.incidents.tests.conftest import audit_entries, state_of
from steward.notifications import handlers_major
from steward.notifications.models import Notification
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def major_events(events):
    for event_type in MAJOR_EVENTS:
        core_events.subscribe(event_type, events.append)
    core_events.subscribe(MajorUpdateWritten, handlers_major.on_major_update_written)
    core_events.subscribe(MajorUpdateOverdue, handlers_major.on_major_update_overdue)
    return events


@pytest.fixture
def critical(service):
    Service.objects.filter(pk=service.pk).update(criticality=1)
    service.refresh_from_db()
    return service


@pytest.fixture
def policy(db):
    return MajorIncidentPolicy.objects.create(
        pk=1,
        max_criticality=2,
        site_threshold=3,
        site_window_minutes=30,
        update_interval_minutes=30,
    )


def store_requester(n):
    return factories.person(site=factories.site(code=f"S{n:03d}", name=f"门店{n}"))


def test_priority_1_on_a_critical_service_is_declared_major_on_creation(
    major_events, raise_incident, critical, lead, clock
):
    with major_events.capture():
        incident = raise_incident(impact=1, urgency=1)

    incident.refresh_from_db()
    record = MajorIncident.objects.get(incident=incident)
    assert (incident.is_major, record.criterion, record.owner_id) == (True, "priority", lead.pk)
    assert record.next_update_due_at == clock.now + dt.timedelta(minutes=30)
    assert [e.action for e in audit_entries(incident)] == ["create", "declare_major"]
    assert audit_entries(incident)[1].changes["is_major"] == [False, True]
    assert "MajorIncidentDeclared" in major_events.names


def test_priority_1_on_a_medium_service_is_not_major(raise_incident, service):
    incident = raise_incident(impact=1, urgency=1)

    assert (incident.is_major, MajorIncident.objects.count()) == (False, 0)


def test_the_criticality_criterion_follows_the_policy_data(raise_incident, service, policy):
    MajorIncidentPolicy.objects.filter(pk=1).update(max_criticality=3)

    incident = raise_incident(impact=1, urgency=1)

    assert incident.is_major is True


def test_reclassifying_to_priority_1_declares_it(raise_incident, critical, agent):
    incident = raise_incident(impact=2, urgency=2)
    assert incident.is_major is False

    changed = services.incident_set_priority(
        actor=agent, incident=incident, impact=1, urgency=1, reason="全部门店受影响"
    )

    assert changed.is_major is True
    assert MajorIncident.objects.get(incident=incident).criterion == "priority"


def test_incidents_from_enough_sites_within_the_window_make_a_major_incident(
    raise_incident, service, policy, clock
):
    first = raise_incident(requester=store_requester(1))
    clock.advance(minutes=10)
    second = raise_incident(requester=store_requester(2))
    assert MajorIncident.objects.count() == 0
    clock.advance(minutes=10)

    third = raise_incident(requester=store_requester(3))

    third.refresh_from_db()
    assert (third.is_major, MajorIncident.objects.get().criterion) == (True, "sites")
    children = IncidentLink.objects.filter(target=third, kind="child_of")
    assert sorted(children.values_list("source_id", flat=True)) == [first.pk, second.pk]
    # A fourth store joins the open major incident instead of declaring another.
    fourth = raise_incident(requester=store_requester(4))
    assert MajorIncident.objects.count() == 1
    assert IncidentLink.objects.get(source=fourth).target_id == third.pk


def test_incidents_outside_the_window_do_not_count(raise_incident, service, policy, clock):
    raise_incident(requester=store_requester(1))
    clock.advance(minutes=31)
    raise_incident(requester=store_requester(2))
    raise_incident(requester=store_requester(3))

    assert MajorIncident.objects.count() == 0


def test_a_team_lead_declares_a_major_incident_by_hand(raise_incident, lead, major_events):
    incident = raise_incident()

    with major_events.capture():
        record = major.major_declare(actor=lead, incident=incident, reason="总部网络中断")

    assert (record.criterion, record.reason, record.declared_by_id) == (
        "manual",
        "总部网络中断",
        lead.pk,
    )
    assert major_events.names == ["MajorIncidentDeclared"]


@pytest.mark.parametrize("who", ["agent", "requester", "auditor"])
def test_only_leads_and_administrators_declare_by_hand(who, raise_incident, request, major_events):
    incident = raise_incident()
    before = state_of(incident)

    with major_events.capture(), pytest.raises(NotPermitted):
        major.major_declare(actor=request.getfixturevalue(who), incident=incident, reason="x")

    assert state_of(incident) == before
    assert (MajorIncident.objects.count(), major_events.items) == (0, [])


def test_declaring_needs_a_reason_and_happens_once(raise_incident, lead):
    incident = raise_incident()
    with pytest.raises(ValidationFailed) as invalid:
        major.major_declare(actor=lead, incident=incident, reason="  ")
    assert invalid.value.field == "reason"
    major.major_declare(actor=lead, incident=incident, reason="总部网络中断")
    before = state_of(incident)

    with pytest.raises(BusinessRuleViolation) as error:
        major.major_declare(actor=lead, incident=incident, reason="again")

    assert error.value.code == "already_major"
    assert state_of(incident) == before


@pytest.fixture
def declared(raise_incident, critical, lead, major_events):
    incident = raise_incident(impact=1, urgency=1)
    return MajorIncident.objects.select_related("incident").get(incident=incident)


@pytest.fixture
def head(requester):
    person = factories.person(name="运营总监")
    requester.department.head = person
    requester.department.save()
    return person


def test_an_update_is_sent_to_its_audiences_in_the_transaction(
    declared, lead, head, requester, critical, clock, major_events
):
    clock.advance(minutes=20)

    with major_events.capture():
        entry = major_comms.major_comms_add(
            actor=lead,
            major=declared,
            audiences=["departments", "management", "requesters"],
            message="已定位为总部专线故障，预计 30 分钟内恢复。",
            channel="notification",
        )

    sent = Notification.objects.filter(event="incident.major_update").order_by("recipient_id")
    expected = sorted({head.pk, critical.owner_id, requester.pk})
    assert list(sent.values_list("recipient_id", flat=True)) == expected
    assert entry.recipient_count == 3
    assert "已定位为总部专线故障" in sent[0].body
    declared.refresh_from_db()
    assert declared.next_update_due_at == clock.now + dt.timedelta(minutes=30)
    assert audit_entries(declared.incident)[-1].action == "major_update"


def test_an_update_given_by_phone_is_logged_and_not_sent(declared, lead, clock, major_events):
    entry = major_comms.major_comms_add(
        actor=lead,
        major=declared,
        audiences=["management"],
        message="电话通报 CIO",
        channel="phone",
    )

    assert (
        entry.recipient_count,
        Notification.objects.filter(event="incident.major_update").count(),
    ) == (0, 0)
    declared.refresh_from_db()
    assert declared.next_update_due_at == clock.now + dt.timedelta(minutes=30)


@pytest.mark.parametrize(
    ("audiences", "message", "channel", "field"),
    [
        ([], "x", "notification", "audiences"),
        (["boss"], "x", "notification", "audiences"),
        (["management"], " ", "notification", "message"),
        (["management"], "x", "fax", "channel"),
    ],
)
def test_bad_updates_are_refused_and_nothing_is_written(
    declared, lead, audiences, message, channel, field
):
    due = declared.next_update_due_at
    with pytest.raises(ValidationFailed) as error:
        major_comms.major_comms_add(
            actor=lead, major=declared, audiences=audiences, message=message, channel=channel
        )
    assert error.value.field == field
    declared.refresh_from_db()
    assert (CommsEntry.objects.count(), declared.next_update_due_at) == (0, due)


@pytest.mark.parametrize("who", ["requester", "network_agent", "auditor"])
def test_updates_only_by_those_running_the_incident(declared, who, request):
    with pytest.raises(NotPermitted):
        major_comms.major_comms_add(
            actor=request.getfixturevalue(who),
            major=declared,
            audiences=["management"],
            message="x",
            channel="phone",
        )
    assert CommsEntry.objects.count() == 0


def test_an_overdue_update_reminds_the_owner_once(declared, lead, clock, major_events):
    assert major_comms.major_remind_due() == []
    clock.advance(minutes=31)

    first = major_comms.major_remind_due()
    again = major_comms.major_remind_due()

    reminders = Notification.objects.filter(event="incident.major_update_due")
    assert (first, again) == ([declared.incident.number], [])
    assert list(reminders.values_list("recipient_id", flat=True)) == [lead.pk]
    # Writing the update restarts the schedule; the next overdue update reminds again.
    major_comms.major_comms_add(
        actor=lead, major=declared, audiences=["management"], message="进展", channel="meeting"
    )
    clock.advance(minutes=31)
    assert major_comms.major_remind_due() == [declared.incident.number]
    assert reminders.count() == 2


def test_the_owner_and_interval_change(declared, lead, agent, clock):
    changed = major.major_set_owner(
        actor=lead,
        major=declared,
        owner=agent,
        update_interval_minutes=60,
        version=declared.version,
    )

    assert (changed.owner_id, changed.update_interval_minutes) == (agent.pk, 60)
    assert changed.next_update_due_at == declared.declared_at + dt.timedelta(minutes=60)
    assert audit_entries(declared.incident)[-1].action == "major_owner"


def test_a_requester_cannot_manage_the_major_incident(declared, lead, agent, requester):
    with pytest.raises(BusinessRuleViolation) as error:
        major.major_set_owner(actor=lead, major=declared, owner=requester)
    assert error.value.code == "owner_not_agent"
    with pytest.raises(NotPermitted):
        major.major_set_owner(actor=agent, major=declared, owner=agent)
    declared.refresh_from_db()
    assert declared.owner_id == lead.pk


ACTIONS = [{"description": "专线增加备份链路", "due_on": dt.date(2026, 3, 31)}]


def resolve(incident, agent):
    return services.incident_resolve(
        actor=agent,
        incident=incident,
        resolution_code="solution_provided",
        resolution_note="切换到备份专线。",
    )


def test_a_major_incident_cannot_close_before_its_review(declared, agent, lead):
    incident = resolve(declared.incident, agent)
    before = state_of(incident)

    with pytest.raises(BusinessRuleViolation) as error:
        services.incident_close(actor=agent, incident=incident)

    assert error.value.code == "major_review_missing"
    assert "review" in error.value.message
    assert state_of(incident) == before


def test_after_the_review_it_closes(declared, agent, lead, major_events):
    incident = resolve(declared.incident, agent)
    with major_events.capture():
        done = review.major_review_save(
            actor=lead,
            major=declared,
            timeline_summary="10:15 报障，10:40 恢复",
            cause="专线故障",
            actions=[{**ACTIONS[0], "owner": agent}],
            complete=True,
        )

    closed = services.incident_close(actor=agent, incident=incident)

    assert (done.completed_by_id, done.actions.get().owner_id) == (lead.pk, agent.pk)
    assert closed.status == "closed"
    assert "MajorReviewCompleted" in major_events.names


def test_the_review_is_completed_only_once_resolved_and_complete(declared, agent, lead):
    with pytest.raises(BusinessRuleViolation) as error:
        review.major_review_save(
            actor=lead,
            major=declared,
            timeline_summary="t",
            cause="c",
            actions=[{**ACTIONS[0], "owner": agent}],
            complete=True,
        )
    assert error.value.code == "review_before_resolution"
    assert MajorReview.objects.filter(completed_at__isnull=False).count() == 0
    resolve(declared.incident, agent)
    with pytest.raises(ValidationFailed) as error:
        review.major_review_save(
            actor=lead, major=declared, timeline_summary="t", cause="c", actions=[], complete=True
        )
    assert error.value.field == "actions"
    with pytest.raises(ValidationFailed) as error:
        review.major_review_save(
            actor=lead,
            major=declared,
            timeline_summary="t",
            cause="c",
            actions=[{"description": "x", "owner": agent}],
            complete=True,
        )
    assert error.value.field == "actions.0.due_on"
    assert MajorReview.objects.filter(completed_at__isnull=False).count() == 0


def test_a_draft_review_is_saved_and_a_completed_one_is_final(declared, agent, lead):
    resolve(declared.incident, agent)
    draft = review.major_review_save(
        actor=lead, major=declared, timeline_summary="草稿", cause="", actions=[]
    )
    assert (draft.timeline_summary, draft.completed_at) == ("草稿", None)
    review.major_review_save(
        actor=lead,
        major=declared,
        timeline_summary="t",
        cause="c",
        actions=[{**ACTIONS[0], "owner": agent}],
        complete=True,
    )

    with pytest.raises(BusinessRuleViolation) as error:
        review.major_review_save(
            actor=lead,
            major=declared,
            timeline_summary="改",
            cause="c",
            actions=[{**ACTIONS[0], "owner": agent}],
        )

    assert error.value.code == "review_complete"
    assert MajorReview.objects.get().timeline_summary == "t"


def test_auto_close_leaves_a_major_incident_without_review(declared, agent, clock):
    resolve(declared.incident, agent)
    clock.advance(days=8)

    assert services.incident_auto_close_due() == []
    declared.incident.refresh_from_db()
    assert declared.incident.status == "resolved"


def test_an_administrator_outside_the_team_may_declare(raise_incident):
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    record = major.major_declare(actor=admin, incident=raise_incident(), reason="机房断电")
    assert record.incident.is_major is True


def test_the_flag_set_in_the_details_opens_the_major_record(raise_incident, lead):
    incident = raise_incident()

    services.incident_update(actor=lead, incident=incident, version=1, changes={"is_major": True})

    record = MajorIncident.objects.get(incident=incident)
    assert (record.criterion, record.owner_id) == ("manual", lead.pk)
    incident.refresh_from_db()
    services.incident_update(
        actor=lead, incident=incident, version=incident.version, changes={"is_major": False}
    )
    assert MajorIncident.objects.count() == 0


def test_a_major_incident_with_communications_stays_major(declared, lead):
    major_comms.major_comms_add(
        actor=lead, major=declared, audiences=["management"], message="x", channel="phone"
    )
    incident = declared.incident
    incident.refresh_from_db()
    before = state_of(incident)

    with pytest.raises(BusinessRuleViolation) as error:
        services.incident_update(
            actor=lead, incident=incident, version=incident.version, changes={"is_major": False}
        )

    assert error.value.code == "major_has_comms"
    assert state_of(incident) == before
    assert MajorIncident.objects.count() == 1


def test_administrators_change_the_criteria(raise_incident, critical, head):
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    from steward.incidents.services.major_policy import major_policy_update

    policy = major_policy_update(
        actor=admin,
        changes={"max_criticality": None, "update_interval_minutes": 15},
        management=[head],
    )

    assert (policy.max_criticality, policy.update_interval_minutes) == (None, 15)
    assert list(policy.management.all()) == [head]
    assert raise_incident(impact=1, urgency=1).is_major is False  # criterion switched off


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_criticality": 5}, "max_criticality"),
        ({"site_threshold": 1}, "site_threshold"),
        ({"update_interval_minutes": 1}, "update_interval_minutes"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_criteria_are_refused(changes, field):
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    from steward.incidents.services.major_policy import major_policy_update

    with pytest.raises(ValidationFailed) as error:
        major_policy_update(actor=admin, changes=changes)

    assert error.value.field == field
    assert MajorIncidentPolicy.objects.count() == 0


def test_only_administrators_change_the_criteria(lead):
    from steward.incidents.services.major_policy import major_policy_update

    with pytest.raises(NotPermitted):
        major_policy_update(actor=lead, changes={"site_threshold": 3})
    assert MajorIncidentPolicy.objects.count() == 0
