"""API shapes of major incidents, links, merging, bulk edits and saved views."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from ninja import Field, Schema

from steward.incidents.models import Audience, CommsChannel, HoldReason


class MajorDeclareIn(Schema):
    number: str = Field(max_length=20)
    reason: str = Field(min_length=1, max_length=2000)
    owner_id: int | None = None


class MajorOwnerIn(Schema):
    version: int = Field(ge=1, description="The version you read; a stale one is a 409.")
    owner_id: int
    update_interval_minutes: int | None = Field(default=None, ge=5, le=1440)


class CommsIn(Schema):
    audiences: list[Audience] = Field(min_length=1)
    message: str = Field(min_length=1, max_length=4000)
    channel: CommsChannel = CommsChannel.NOTIFICATION


class CommsOut(Schema):
    id: int
    audiences: list[str]
    message: str
    channel: str
    author: str
    written_at: datetime
    recipient_count: int

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class ReviewActionIn(Schema):
    description: str = Field(min_length=1, max_length=2000)
    owner_id: int
    due_on: date


class MajorReviewIn(Schema):
    version: int | None = Field(default=None, ge=1)
    timeline_summary: str = Field(default="", max_length=20000)
    cause: str = Field(default="", max_length=20000)
    actions: list[ReviewActionIn] = Field(default_factory=list, max_length=20)
    complete: bool = False


class ReviewActionOut(Schema):
    description: str
    owner_id: int
    due_on: date


class ReviewOut(Schema):
    version: int
    timeline_summary: str
    cause: str
    completed_at: datetime | None
    completed_by_id: int | None
    actions: list[ReviewActionOut]

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class MajorOut(Schema):
    number: str
    title: str
    status: str
    criterion: str
    reason: str
    declared_at: datetime
    owner_id: int | None
    update_interval_minutes: int
    next_update_due_at: datetime
    version: int
    review_complete: bool

    @staticmethod
    def resolve_number(obj: Any) -> str:
        return str(obj.incident.number)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.incident.title)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.incident.status)

    @staticmethod
    def resolve_review_complete(obj: Any) -> bool:
        try:
            return obj.review.completed_at is not None  # type: ignore[no-any-return]
        except ObjectDoesNotExist:
            return False


class NumberIn(Schema):
    number: str = Field(max_length=20, description="The other incident's number.")


class LinkOut(Schema):
    kind: str
    role: str = Field(description="parent, child, duplicate_of or duplicate")
    number: str
    title: str
    status: str


class ItemResultOut(Schema):
    number: str
    done: bool
    message: str
    code: str


class BulkIn(Schema):
    numbers: list[str] = Field(min_length=1, max_length=200)
    operation: str = Field(description="assign, priority, hold or note")
    team_id: int | None = None
    assignee_id: int | None = None
    priority: int | None = Field(default=None, ge=1, le=5)
    reason: str = Field(default="", max_length=2000)
    hold_reason: HoldReason | None = None
    note: str = Field(default="", max_length=4000)


class SavedViewIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    team_id: int | None = Field(default=None, description="Share with this team of yours.")
    filters: dict[str, Any] = Field(
        default_factory=dict, description="queue, status[], priority[], q, sort"
    )


class SavedViewUpdateIn(SavedViewIn):
    version: int = Field(ge=1)


class SavedViewOut(Schema):
    id: int
    name: str
    owner_id: int
    team_id: int | None
    filters: dict[str, Any]
    version: int


class MajorPolicyIn(Schema):
    max_criticality: int | None = Field(
        default=None, description="Priority 1 on a service of at most this criticality; null: off"
    )
    site_threshold: int | None = Field(default=None, description="Distinct sites; null: off")
    site_window_minutes: int = 30
    update_interval_minutes: int = 30
    management_ids: list[int] = Field(default_factory=list)


class MajorPolicyOut(Schema):
    max_criticality: int | None
    site_threshold: int | None
    site_window_minutes: int
    update_interval_minutes: int
    management_ids: list[int]

    @staticmethod
    def resolve_management_ids(obj: Any) -> list[int]:
        if obj.pk is None or obj._state.adding:
            return []
        return sorted(obj.management.values_list("pk", flat=True))
