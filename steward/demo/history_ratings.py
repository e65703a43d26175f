"""Satisfaction history of the demo: the surveys the resolutions opened, the ratings that came
back and the complaints the poor ones opened, written in bulk as the services would have.

Each resolution of a resolved record (incident or service request, ``ResolvedRecord``) got a
survey with the snapshot ``survey_invite`` takes (team, engineer, service, number, title,
requester, expiry, a nonce); a record reopened afterwards voided it. About four in ten were
answered, hours to days later, mostly with 4 or 5; a 1 or 2 opened a complaint owned by the
team lead (else the service owner) that was investigated, resolved and closed unless it is
recent. Complaint numbers follow the survey id (``CPL-000123``) like ``complaint_open``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

from steward.audit.services import AuditDraft, audit_record_many, to_json
from steward.catalogue.models import Service
from steward.demo.history_texts import (
    COMPLAINT_NOTES,
    COMPLAINT_OUTCOMES,
    NEUTRAL,
    POOR,
    PRAISE,
    say,
)
from steward.identity.models import Person, Team
from steward.satisfaction.models import (
    COMPLAINT_UP_TO,
    Complaint,
    ComplaintNote,
    ComplaintStatus,
    RatingChannel,
    Survey,
    SurveyStatus,
)
from steward.satisfaction.services.links import SURVEY_VALID_DAYS

if TYPE_CHECKING:
    from steward.demo.tickets import HistoryContext

BATCH = 2000
ANSWERED = 0.40
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (55, 28, 10, 4, 3)
COMMENTED = {5: 0.22, 4: 0.2, 3: 0.5, 2: 0.85, 1: 0.9}
C = ComplaintStatus


@dataclass
class ResolvedRecord:
    """A record of the history and its resolutions: (resolved at, reopened at or None)."""

    record: Any  # a saved WorkItem (incident or service request)
    service_id: int | None
    language: str
    resolutions: list[tuple[dt.datetime, dt.datetime | None]]


@dataclass
class _Rated:
    survey: Survey
    drafts: list[tuple[dt.datetime, int | None, str, dict[str, Any]]] = field(
        default_factory=list
    )
    complaint: Complaint | None = None
    complaint_drafts: list[tuple[dt.datetime, int | None, str, dict[str, Any]]] = field(
        default_factory=list
    )
    note: ComplaintNote | None = None


def _hours(ctx: HistoryContext, median: float, sigma: float) -> dt.timedelta:
    return dt.timedelta(hours=median * math.exp(ctx.rng.gauss(0, sigma)))


def incident_resolutions(ctx: HistoryContext) -> list[ResolvedRecord]:
    """The resolutions of the incidents written by the incident loader (up to now)."""
    found = []
    for plan, incident in zip(ctx.incident_plans, ctx.incidents, strict=True):
        resolutions: list[tuple[dt.datetime, dt.datetime | None]] = []
        for step in plan.steps:
            if step.at > ctx.now:
                break
            if step.action == "resolve":
                resolutions.append((step.at, None))
            elif step.action == "reopen" and resolutions:
                resolutions[-1] = (resolutions[-1][0], step.at)
        if resolutions:
            found.append(ResolvedRecord(incident, incident.service_id, plan.language, resolutions))
    return found


class _Planner:
    def __init__(self, ctx: HistoryContext) -> None:
        self.ctx = ctx
        self.active = set(Person.objects.filter(is_active=True).values_list("pk", flat=True))
        self.leads = dict(Team.objects.values_list("pk", "lead_id"))
        self.owners = dict(Service.objects.values_list("pk", "owner_id"))

    def owner_for(self, team_id: int | None, service_id: int | None) -> int | None:
        """``complaints._owner_for``: the team's lead, else the service owner, else nobody."""
        lead = self.leads.get(team_id or 0)
        if lead is not None and lead in self.active:
            return int(lead)
        owner = self.owners.get(service_id or 0)
        return int(owner) if owner is not None and owner in self.active else None

    def surveys(self, resolved: ResolvedRecord) -> list[_Rated]:
        record = resolved.record
        if record.requester_id not in self.active:
            return []
        content_type = ContentType.objects.get_for_model(type(record))
        result = []
        for at, reopened in resolved.resolutions:
            survey = Survey(
                content_type=content_type, object_id=record.pk, record_number=record.number,
                record_title=record.title[:200], requester_id=record.requester_id,
                team_id=record.team_id, engineer_id=record.assignee_id,
                service_id=resolved.service_id, nonce=f"{self.ctx.rng.getrandbits(128):032x}",
                invited_at=at, expires_at=at + dt.timedelta(days=SURVEY_VALID_DAYS),
            )  # fmt: skip
            rated = _Rated(survey)
            rated.drafts.append((at, None, "create", {
                "record": record.number, "requester": record.requester_id,
                "expires_at": to_json(survey.expires_at),
            }))  # fmt: skip
            if reopened is not None:
                survey.status, survey.voided_at = SurveyStatus.VOID, reopened
                rated.drafts.append(
                    (reopened, None, "void", {"status": [SurveyStatus.INVITED, SurveyStatus.VOID]})
                )
            else:
                self._answer(rated, resolved.language)
            result.append(rated)
        return result

    def _answer(self, rated: _Rated, language: str) -> None:
        rng, survey = self.ctx.rng, rated.survey
        if rng.random() >= ANSWERED:
            return
        delay = min(_hours(self.ctx, 7, 1.3), dt.timedelta(days=SURVEY_VALID_DAYS - 0.5))
        at = survey.invited_at + delay
        rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
        if at > self.ctx.now:
            return
        texts = PRAISE if rating >= 4 else NEUTRAL if rating == 3 else POOR
        comment = say(rng.choice(texts), language) if rng.random() < COMMENTED[rating] else ""
        via = RatingChannel.LINK if rng.random() < 0.65 else RatingChannel.PORTAL
        survey.status, survey.rating, survey.comment = SurveyStatus.RATED, rating, comment
        survey.rated_at, survey.rated_via = at, via
        requester = survey.requester_id
        rated.drafts.append((at, requester, "rate", {
            "status": [SurveyStatus.INVITED, SurveyStatus.RATED], "rating": rating,
            "comment": comment, "via": via,
        }))  # fmt: skip
        if rating <= COMPLAINT_UP_TO:
            self._complain(rated, at, language)

    def _complain(self, rated: _Rated, at: dt.datetime, language: str) -> None:
        rng, survey = self.ctx.rng, rated.survey
        owner = self.owner_for(survey.team_id, survey.service_id)
        complaint = Complaint(survey=survey, owner_id=owner, status=C.RECORDED, opened_at=at)
        rated.complaint = complaint
        rated.complaint_drafts.append((at, survey.requester_id, "create", {
            "record": survey.record_number, "rating": survey.rating, "owner": owner,
        }))  # fmt: skip
        if owner is None:
            return
        steps = (
            ("investigate", C.INVESTIGATING, _hours(self.ctx, 5, 0.8)),
            ("resolve", C.RESOLVED, _hours(self.ctx, 40, 0.7)),
            ("close", C.CLOSED, _hours(self.ctx, 48, 0.6)),
        )
        t = at
        for action, target, wait in steps:
            t = t + wait
            if t > self.ctx.now:
                return
            changes: dict[str, Any] = {"status": [complaint.status, target]}
            if action == "investigate":
                text = say(rng.choice(COMPLAINT_NOTES), language)
                rated.note = ComplaintNote(author_id=owner, body=text, created_at=t)
                changes["note"] = text
            elif action == "resolve":
                complaint.outcome = say(rng.choice(COMPLAINT_OUTCOMES), language)
                complaint.resolved_at = t
                changes["outcome"] = ["", complaint.outcome]
            else:
                complaint.closed_at = t
            complaint.status = target
            complaint.version += 1
            rated.complaint_drafts.append((t, owner, action, changes))


def surveys_write(ctx: HistoryContext, resolved: list[ResolvedRecord]) -> list[Survey]:
    """Write the surveys (in the order they were invited), complaints, notes and audit."""
    planner = _Planner(ctx)
    rated = [r for item in resolved for r in planner.surveys(item)]
    rated.sort(key=lambda r: (r.survey.invited_at, r.survey.record_number))
    surveys = Survey.objects.bulk_create([r.survey for r in rated], batch_size=BATCH)
    complained = [r for r in rated if r.complaint is not None]
    for r in complained:
        assert r.complaint is not None
        r.complaint.survey = r.survey
        r.complaint.number = f"CPL-{r.survey.pk:06d}"
    Complaint.objects.bulk_create([r.complaint for r in complained if r.complaint is not None])
    notes = []
    for r in complained:
        if r.note is not None:
            assert r.complaint is not None
            r.note.complaint = r.complaint
            notes.append(r.note)
    ComplaintNote.objects.bulk_create(notes)
    _audit(rated)
    return surveys


def _audit(rated: list[_Rated]) -> None:
    survey_type = ContentType.objects.get_for_model(Survey)
    complaint_type = ContentType.objects.get_for_model(Complaint)
    labels = dict(Person.objects.values_list("pk", "name"))
    drafts = []
    for r in rated:
        for at, actor, action, changes in r.drafts:
            drafts.append(AuditDraft(at, actor, labels.get(actor or 0, ""), survey_type,
                                     str(r.survey.pk), str(r.survey), action, changes))  # fmt: skip
        if r.complaint is None:
            continue
        for at, actor, action, changes in r.complaint_drafts:
            label = labels.get(actor or 0, "")
            drafts.append(AuditDraft(at, actor, label, complaint_type, str(r.complaint.pk),
                                     str(r.complaint), action, changes))  # fmt: skip
    drafts.sort(key=lambda d: d.occurred_at)
    audit_record_many(drafts)


def load_ratings(ctx: HistoryContext) -> int:
    """Surveys, ratings and complaints for the resolved records of the history (incidents,
    then service requests: ``ctx.resolved``)."""
    if Survey.objects.exists():
        return 0
    return len(surveys_write(ctx, incident_resolutions(ctx) + ctx.resolved))
