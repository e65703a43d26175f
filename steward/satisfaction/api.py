"""Satisfaction API at /api/v1/satisfaction: a record's surveys, rating, complaints and their
actions, CSAT figures. Thin endpoints over the selectors and services.

No ``from __future__ import annotations``: django-ninja must see the real ``Query[...]`` type.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from steward.satisfaction import csat, selectors, services
from steward.satisfaction.models import RatingChannel
from steward.satisfaction.schemas import (
    ComplaintActionIn,
    ComplaintAssignIn,
    ComplaintNoteIn,
    ComplaintOut,
    CsatParams,
    CsatRowOut,
    SurveyOut,
    SurveyRateIn,
)

router = Router(tags=["satisfaction"])


@router.get("/records/{number}/surveys", response=list[SurveyOut],
            operation_id="satisfaction_surveys_for_record")
def satisfaction_surveys_for_record(request: HttpRequest, number: str) -> Any:
    return selectors.surveys_for_number(user=request.user, number=number)


@router.post("/surveys/{survey_id}/rate", response=SurveyOut,
             operation_id="satisfaction_survey_rate")
def satisfaction_survey_rate(request: HttpRequest, survey_id: int, payload: SurveyRateIn) -> Any:
    survey = selectors.survey_get_for(user=request.user, survey_id=survey_id)
    return services.survey_rate(actor=request.user, survey=survey, rating=payload.rating,
                                comment=payload.comment, via=RatingChannel.API)


@router.get("/complaints", response=list[ComplaintOut], operation_id="satisfaction_complaints")
def satisfaction_complaints(request: HttpRequest, status: str = "", open_only: bool = False
                            ) -> Any:
    return selectors.complaint_list_for(user=request.user, status=status,
                                        open_only=open_only)[:500]


@router.get("/complaints/{number}", response=ComplaintOut,
            operation_id="satisfaction_complaint_get")
def satisfaction_complaint_get(request: HttpRequest, number: str) -> Any:
    return selectors.complaint_get_for(user=request.user, number=number)


@router.post("/complaints/{number}/notes", response={201: None},
             operation_id="satisfaction_complaint_note")
def satisfaction_complaint_note(request: HttpRequest, number: str, payload: ComplaintNoteIn
                                ) -> Any:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    services.complaint_note_add(actor=request.user, complaint=complaint, body=payload.body)
    return Status(201, None)


@router.post("/complaints/{number}/assign", response=ComplaintOut,
             operation_id="satisfaction_complaint_assign")
def satisfaction_complaint_assign(request: HttpRequest, number: str, payload: ComplaintAssignIn
                                  ) -> Any:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    owner = selectors.complaint_owner_choices(user=request.user).filter(
        pk=payload.owner_id).first()
    return services.complaint_assign(actor=request.user, complaint=complaint, owner=owner,
                                     version=payload.version)


@router.post("/complaints/{number}/{action}", response=ComplaintOut,
             operation_id="satisfaction_complaint_act")
def satisfaction_complaint_act(request: HttpRequest, number: str, action: str,
                               payload: ComplaintActionIn) -> Any:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    return services.complaint_act(actor=request.user, complaint=complaint, action=action,
                                  **payload.dict())


@router.get("/csat", response=list[CsatRowOut], operation_id="satisfaction_csat")
def satisfaction_csat(request: HttpRequest, params: Query[CsatParams]) -> Any:
    return csat.csat_table(user=request.user, by=params.by, since=params.since,
                           until=params.until)
