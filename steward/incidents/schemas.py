"""API input and output shapes of incident management. Input shape only: business rules
live in the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from steward.incidents import permissions, selectors
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.models import (
    HoldReason,
    IncidentChannel,
    IncidentStatus,
    ResolutionCode,
)


class IncidentCreateIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20000)
    service_id: int | None = None
    requester_id: int | None = Field(
        default=None, description="Someone else's id to raise on their behalf (agents only)."
    )
    impact: int = Field(default=3, ge=1, le=3, description="1 high … 3 low")
    urgency: int = Field(default=3, ge=1, le=3, description="1 high … 3 low")
    category: str = Field(default="", max_length=64)
    subcategory: str = Field(default="", max_length=64)
    channel: IncidentChannel = IncidentChannel.API
    restricted: bool = False
    team_id: int | None = Field(
        default=None, description="Choose the team yourself (agents only); else routing rules."
    )
    ci_id: str | None = Field(
        default=None, max_length=16,
        description="The configuration item that failed (its CI id, e.g. CI-000012).",
    )


class IncidentUpdateIn(Schema):
    version: int = Field(ge=1, description="The version you read; a stale one is a 409.")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20000)
    category: str | None = Field(default=None, max_length=64)
    subcategory: str | None = Field(default=None, max_length=64)
    restricted: bool | None = None
    is_major: bool | None = None
    ci_id: str | None = Field(
        default=None, max_length=16,
        description="The configuration item's CI id (e.g. CI-000012); null clears it.",
    )


class IncidentReclassifyIn(Schema):
    version: int = Field(ge=1, description="The version you read; a stale one is a 409.")
    service_id: int | None = Field(description="The new service (null: none).")
    reason: str = Field(min_length=1, max_length=500)


class IncidentImpactOut(Schema):
    """The impact hint: what the failure of the incident's configuration item takes down."""

    ci_id: str
    ci_name: str
    services: int
    service_names: list[str] = Field(description="The first few impacted services by name.")
    sites: int
    departments: int
    people: int
    impacted_cis: int
    everyone: bool = Field(description="An impacted service serves everyone.")


class IncidentPriorityIn(Schema):
    impact: int | None = Field(default=None, ge=1, le=3)
    urgency: int | None = Field(default=None, ge=1, le=3)
    priority: int | None = Field(
        default=None, ge=1, le=5, description="Set explicitly instead of from the matrix."
    )
    reason: str = Field(min_length=1, max_length=500)


class IncidentAssignIn(Schema):
    team_id: int | None = None
    assignee_id: int | None = None


class IncidentHoldIn(Schema):
    reason: HoldReason
    note: str = Field(default="", max_length=4000)


class IncidentResolveIn(Schema):
    resolution_code: ResolutionCode
    resolution_note: str = Field(min_length=1, max_length=4000)


class IncidentReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=4000)


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=10000)
    public: bool = True


class IncidentListParams(Schema):
    queue: IncidentQueue = IncidentQueue.ALL
    status: list[IncidentStatus] = Field(default_factory=list)
    priority: list[int] = Field(default_factory=list)
    team_id: int | None = None
    assignee_id: int | None = None
    service_id: int | None = None
    requester_id: int | None = None
    is_major: bool | None = None
    ci: str = Field(default="", max_length=16, description="A configuration item's CI id.")
    q: str = Field(default="", max_length=200)
    within_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    updated_within_hours: int = Field(default=24, ge=1, le=24 * 90)

    def to_filters(self) -> IncidentFilters:
        return IncidentFilters(
            queue=self.queue,
            status=tuple(str(s) for s in self.status),
            priority=tuple(self.priority),
            team_id=self.team_id,
            assignee_id=self.assignee_id,
            service_id=self.service_id,
            requester_id=self.requester_id,
            is_major=self.is_major,
            ci=self.ci,
            query=self.q,
            within_minutes=self.within_minutes,
            updated_within_hours=self.updated_within_hours,
        )


class IncidentOut(Schema):
    number: str
    title: str
    description: str
    status: IncidentStatus
    hold_reason: str
    impact: int
    urgency: int
    priority: int
    service_id: int | None
    ci_id: str | None = Field(description="The configuration item's CI id.")
    category: str
    subcategory: str
    channel: str
    requester_id: int
    assignee_id: int | None
    team_id: int | None
    department_id: int | None
    site_id: int | None
    restricted: bool
    is_major: bool
    opened_at: datetime
    updated_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution_code: str
    resolution_note: str
    reopen_count: int
    reassignment_count: int
    escalation_level: int
    routing_rule_id: int | None
    version: int


    @staticmethod
    def resolve_ci_id(obj: Any) -> str | None:
        return obj.ci.ci_id if obj.ci_id is not None else None


class IncidentListOut(IncidentOut):
    resolution_due_at: datetime | None = Field(
        default=None, description="Due time of the customer SLA's open resolution clock."
    )


class IncidentClockOut(Schema):
    id: int
    kind: str
    agreement: str
    agreement_kind: str
    state: str
    priority: int
    target_minutes: int
    started_at: datetime
    due_at: datetime | None
    stopped_at: datetime | None
    breached_at: datetime | None
    elapsed_seconds: int
    remaining_seconds: int | None
    percent: float | None


class IncidentDetailOut(IncidentOut):
    allowed_actions: list[str]
    allowed_escalations: list[str]
    sla: list[IncidentClockOut]

    @staticmethod
    def resolve_allowed_escalations(obj: Any, context: Any) -> list[str]:
        from steward.incidents.selectors_routing import escalation_actions_for

        return escalation_actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_allowed_actions(obj: Any, context: Any) -> list[str]:
        return permissions.actions_for(context["request"].user, obj)

    @staticmethod
    def resolve_sla(obj: Any, context: Any) -> list[Any]:
        return selectors.incident_clocks_for(user=context["request"].user, incident=obj)


class CommentOut(Schema):
    id: int
    author_id: int
    author_name: str
    visibility: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj: Any) -> str:
        return str(obj.author)


class TimelineItemOut(Schema):
    at: datetime
    kind: str = Field(description="change, comment or sla")
    action: str
    actor_id: int | None
    actor_label: str
    changes: dict[str, Any]
    body: str
    visibility: str


class PriorityCellOut(Schema):
    impact: int
    urgency: int
    priority: int
