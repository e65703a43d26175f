"""API input and output shapes of satisfaction. Input shape only: the rating's range and who
may rate are the services' rules (so a 0 or 6 answers ``field: rating`` with the reason)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from steward.satisfaction.models import Complaint


class SurveyOut(Schema):
    id: int
    record_number: str
    status: str
    invited_at: datetime
    expires_at: datetime
    rating: int | None
    comment: str
    rated_at: datetime | None
    rated_via: str
    complaint_number: str | None = Field(default=None)

    @staticmethod
    def resolve_complaint_number(obj: object) -> str | None:
        complaint = getattr(obj, "complaint", None)  # none yet: the accessor raises
        return None if complaint is None else str(complaint.number)


class SurveyRateIn(Schema):
    rating: int = Field(description="1 (very dissatisfied) … 5 (very satisfied)")
    comment: str = Field(default="", description="Optional, at most 2000 characters.")


class ComplaintOut(Schema):
    number: str
    status: str
    record_number: str = Field(alias="survey.record_number")
    rating: int | None = Field(alias="survey.rating")
    comment: str = Field(alias="survey.comment")
    team: str | None = Field(default=None, alias="survey.team.code")
    engineer: str | None = Field(default=None, alias="survey.engineer.username")
    owner: str | None = Field(default=None, alias="owner.username")
    outcome: str
    opened_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int
    allowed_actions: list[str]

    @staticmethod
    def resolve_allowed_actions(obj: Complaint) -> list[str]:
        return obj.allowed_actions()


class ComplaintActionIn(Schema):
    version: int | None = Field(default=None, description="The version you read (409 if stale).")
    note: str = ""
    outcome: str = Field(default="", description="Required to resolve.")


class ComplaintAssignIn(Schema):
    owner_id: int
    version: int | None = Field(default=None, description="The version you read (409 if stale).")


class ComplaintNoteIn(Schema):
    body: str


class CsatRowOut(Schema):
    key: str
    label: str
    average: Decimal | None
    satisfied_pct: Decimal | None
    rated: int
    invited: int
    response_pct: Decimal | None
    satisfied: int
    complaints: int


class CsatParams(Schema):
    by: str = Field(default="team", description="overall, team, engineer, service or month")
    since: date | None = None
    until: date | None = None
