"""The demo's service request and satisfaction history: records as the services leave them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from steward.audit.models import AuditEntry
from steward.audit.services import audit_verify
from steward.catalogue.formdef import clean_answers
from steward.catalogue.models import ApprovalMode, RequestItem, TaskMode
from steward.demo import catalogue, history_ratings, history_requests, tickets
from steward.demo.organisation import DemoResult, load_departments_and_sites, load_people
from steward.fulfilment.models import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    ApprovalReminder,
    ApprovalState,
    FulfilmentTask,
    RequestComment,
    RequestStatus,
    ServiceRequest,
    TaskState,
)
from steward.fulfilment.selectors import request_list_for
from steward.fulfilment.services.approvals import approvers_for
from steward.fulfilment.services.numbering import REQUEST_NUMBERS
from steward.identity.models import Person
from steward.incidents.models import Incident
from steward.satisfaction.csat import csat_table
from steward.satisfaction.models import Complaint, ComplaintStatus, Survey, SurveyStatus
from steward.satisfaction.selectors import complaint_list_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)
R = RequestStatus


@pytest.fixture
def chain() -> None:
    result = DemoResult()
    load_people(load_departments_and_sites(result), result)
    catalogue.load()


def _load() -> dict[str, int]:
    return tickets.load_history(days=60, scale=0.3, now=NOW)


def test_the_same_seed_plans_the_same_requests(chain):
    def signature(seed: int) -> list[tuple[object, ...]]:
        ctx = tickets.context_build(days=40, scale=0.4, seed=seed, now=NOW)
        return [
            (p.opened_at, p.item.code, p.requester.person_id, p.answers,
             [(s.at, s.action, s.actor_id) for s in p.steps])
            for p in history_requests.plans_requests(ctx)
        ]  # fmt: skip

    first, second, other = signature(3), signature(3), signature(4)

    assert first == second
    assert first != other
    assert len(first) > 30


def test_request_history_is_consistent(chain):
    written = _load()

    requests = list(ServiceRequest.objects.select_related("item_version").order_by("id"))
    total = written["load_requests"]
    assert len(requests) == total > 40
    assert [r.number for r in requests] == [f"REQ-{n:06d}" for n in range(1, total + 1)]
    assert REQUEST_NUMBERS.last() == total
    assert [r.opened_at for r in requests] == sorted(r.opened_at for r in requests)
    for r in requests:
        version = r.item_version
        assert clean_answers(version.form, r.answers) == r.answers, r.number
        assert NOW - dt.timedelta(days=61) <= r.opened_at <= r.updated_at <= NOW, r.number
        assert (r.closed_at is not None) == (r.status in TERMINAL_STATUSES), r.number
        assert (r.fulfilled_at is not None) == (r.status in (R.FULFILLED, R.CLOSED)), r.number
        approvals = list(r.approvals.all())
        expected = [p.pk for p, _role in approvers_for(r)]
        assert sorted(a.approver_id for a in approvals) == sorted(expected), r.number
        states = [a.state for a in approvals]
        if r.status == R.REJECTED:
            assert states.count(ApprovalState.REJECTED) == 1, r.number
            assert r.outcome_note, r.number
            assert not r.tasks.exists(), r.number
        if r.approved_at is not None:
            assert ApprovalState.APPROVED in states, r.number
            if version.approval_mode == ApprovalMode.ANY:
                assert states.count(ApprovalState.APPROVED) == 1, r.number
        if r.status != R.AWAITING_APPROVAL:
            assert ApprovalState.PENDING not in states, r.number
        tasks = list(r.tasks.order_by("position"))
        if r.status in (R.FULFILLED, R.CLOSED):
            assert len(tasks) == len(version.tasks), r.number
            assert {t.state for t in tasks} == {TaskState.DONE}, r.number
            assert r.fulfilled_at == max(t.finished_at for t in tasks), r.number
            for t in tasks:
                assert t.team.memberships.filter(person_id=t.assignee_id).exists(), r.number
                assert t.opened_at <= t.started_at <= t.finished_at, r.number
                assert (t.opened_at >= r.approved_at) if r.approved_at else True, r.number
            if version.task_mode == TaskMode.ORDERED:
                for earlier, later in zip(tasks, tasks[1:], strict=False):
                    assert later.opened_at == earlier.finished_at, r.number
        if r.status in (R.CANCELLED, R.REJECTED):
            assert all(t.state in (TaskState.DONE, TaskState.CANCELLED) for t in tasks)
    statuses = {r.status for r in requests}
    assert {R.CLOSED, R.REJECTED} <= statuses
    assert statuses & set(OPEN_STATUSES)
    reminders = ApprovalReminder.objects.all()
    assert reminders.count() == sum(r.approvals.count() for r in requests)
    assert RequestComment.objects.exists()
    assert sum(RequestItem.objects.values_list("request_count", flat=True)) == total


def test_request_history_has_audit_and_is_visible(chain):
    _load()
    request_type = ContentType.objects.get_for_model(ServiceRequest)

    assert audit_verify().ok
    created = AuditEntry.objects.filter(content_type=request_type, action="create")
    assert created.count() == ServiceRequest.objects.count()
    fulfilled = AuditEntry.objects.filter(content_type=request_type, action="fulfil")
    assert fulfilled.count() == ServiceRequest.objects.filter(fulfilled_at__isnull=False).count()
    assert AuditEntry.objects.filter(content_type=request_type, action="task_complete").count() == (
        FulfilmentTask.objects.filter(state=TaskState.DONE).count()
    )
    director = Person.objects.get(username="it.director")
    assert request_list_for(user=director).count() == ServiceRequest.objects.count()
    requester = ServiceRequest.objects.order_by("id").first().requester
    mine = request_list_for(user=requester)
    assert set(ServiceRequest.objects.filter(requester=requester)) <= set(mine)


def test_satisfaction_history_is_consistent(chain):
    written = _load()

    surveys = list(Survey.objects.order_by("id"))
    assert len(surveys) == written["load_ratings"] > 300
    assert [s.invited_at for s in surveys] == sorted(s.invited_at for s in surveys)
    assert len({s.nonce for s in surveys}) == len(surveys)
    incident_type = ContentType.objects.get_for_model(Incident)
    incidents = {i.pk: i for i in Incident.objects.all()}
    requests = {r.pk: r for r in ServiceRequest.objects.all()}
    for s in surveys:
        record = (incidents if s.content_type_id == incident_type.pk else requests)[s.object_id]
        assert (s.record_number, s.requester_id, s.team_id, s.service_id) == (
            record.number, record.requester_id, record.team_id, record.service_id)
        assert s.engineer_id == record.assignee_id
        assert s.expires_at == s.invited_at + dt.timedelta(days=14)
        assert s.invited_at <= NOW
        if s.status == SurveyStatus.RATED:
            assert s.invited_at <= s.rated_at < s.expires_at
            assert s.rated_at <= NOW
            assert 1 <= s.rating <= 5
            assert s.rated_via in ("link", "portal")
        else:
            assert s.rating is None
            assert s.rated_at is None
        assert (s.voided_at is not None) == (s.status == SurveyStatus.VOID)
    reopened = [i for i in incidents.values() if i.reopen_count and i.resolved_at is not None]
    assert reopened
    for incident in reopened:
        mine = [s for s in surveys if s.object_id == incident.pk
                and s.content_type_id == incident_type.pk]  # fmt: skip
        assert [s.status == SurveyStatus.VOID for s in mine] == [True, False], incident.number
    resolved = sum(1 for i in incidents.values() if i.resolved_at is not None)
    counted = [s for s in surveys if s.content_type_id == incident_type.pk]
    assert len([s for s in counted if s.status != SurveyStatus.VOID]) == resolved
    fulfilled = ServiceRequest.objects.filter(fulfilled_at__isnull=False).count()
    assert sum(1 for s in surveys if s.object_id in requests
               and s.content_type_id != incident_type.pk) == fulfilled > 0  # fmt: skip
    rated = [s for s in surveys if s.status == SurveyStatus.RATED]
    answered = len(rated) / sum(1 for s in surveys if s.status != SurveyStatus.VOID)
    assert 0.3 < answered < 0.5
    assert sum(1 for s in rated if (s.rating or 0) >= 4) / len(rated) > 0.7
    assert any(s.comment for s in rated)


def test_complaints_follow_the_poor_ratings(chain):
    _load()

    poor = Survey.objects.filter(status=SurveyStatus.RATED, rating__lte=2)
    complaints = list(Complaint.objects.select_related("survey__team", "survey__service"))
    assert len(complaints) == poor.count() > 0
    for c in complaints:
        assert c.number == f"CPL-{c.survey_id:06d}"
        assert c.owner_id == (c.survey.team.lead_id or c.survey.service.owner_id)
        assert c.opened_at == c.survey.rated_at
        assert (c.resolved_at is not None) == bool(c.outcome) == (
            c.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED))
        assert (c.closed_at is not None) == (c.status == ComplaintStatus.CLOSED)
        assert c.version == 1 + [ComplaintStatus.RECORDED, ComplaintStatus.INVESTIGATING,
                                 ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED].index(c.status)
        if c.status != ComplaintStatus.RECORDED:
            assert c.notes.count() == 1
    assert audit_verify().ok
    complaint_type = ContentType.objects.get_for_model(Complaint)
    assert AuditEntry.objects.filter(content_type=complaint_type, action="create").count() == (
        len(complaints))
    lead = complaints[0].owner
    assert set(complaint_list_for(user=lead)) >= {c for c in complaints if c.owner_id == lead.pk}


def test_csat_figures_come_from_the_history(chain):
    _load()
    lead = Person.objects.get(username="desk.lead")

    [overall] = csat_table(user=lead, by="overall")
    by_team = csat_table(user=lead, by="team")
    by_month = csat_table(user=lead, by="month")

    valid = Survey.objects.exclude(status=SurveyStatus.VOID)
    assert overall.invited == valid.count()
    assert overall.rated == valid.filter(status=SurveyStatus.RATED).count() > 0
    assert overall.complaints == Complaint.objects.count()
    assert 3.8 < float(overall.average) < 4.8
    assert {row.key for row in by_team} >= {"DESK", "NET"}
    assert len(by_month) >= 2


def test_ratings_are_planned_from_the_seed(chain):
    tickets.load_history(days=20, scale=0.2, now=NOW)

    def signature() -> list[tuple[object, ...]]:
        ctx = tickets.context_build(days=20, scale=0.2, seed=5, now=NOW)
        planner = history_ratings._Planner(ctx)
        resolved = [
            history_ratings.ResolvedRecord(i, i.service_id, "zh-hans", [(i.resolved_at, None)])
            for i in Incident.objects.filter(resolved_at__isnull=False).order_by("id")
        ]
        return [
            (r.survey.record_number, r.survey.nonce, r.survey.rating, r.survey.rated_at)
            for item in resolved for r in planner.surveys(item)
        ]  # fmt: skip

    assert signature() == signature()
