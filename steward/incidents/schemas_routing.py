"""API input/output of routing rules, team assignment and escalation."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from steward.incidents.models import AssignmentStrategy, EscalationKind


class RoutingRuleIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    team_id: int
    is_active: bool = True
    service_id: int | None = None
    category: str = Field(default="", max_length=64)
    site_id: int | None = None
    site_group_id: int | None = None
    keywords: str = Field(default="", max_length=2000, description="One per line or comma")
    vip_only: bool = False


class RoutingRulePatchIn(Schema):
    version: int = Field(ge=1, description="The version you read; a stale one is a 409.")
    name: str | None = Field(default=None, min_length=1, max_length=100)
    team_id: int | None = None
    is_active: bool | None = None
    service_id: int | None = None
    category: str | None = Field(default=None, max_length=64)
    site_id: int | None = None
    site_group_id: int | None = None
    keywords: str | None = Field(default=None, max_length=2000)
    vip_only: bool | None = None


class RoutingRuleOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    team_id: int
    service_id: int | None
    category: str
    site_id: int | None
    site_group_id: int | None
    keywords: str
    vip_only: bool
    version: int


class ReorderIn(Schema):
    rule_ids: list[int] = Field(description="Every rule's id once, in the new order.")


class TeamStrategyIn(Schema):
    strategy: AssignmentStrategy


class AvailabilityIn(Schema):
    available: bool
    note: str = Field(default="", max_length=200)


class MemberOut(Schema):
    person_id: int
    is_available: bool
    note: str
    open_assigned: int


class TeamAssignmentOut(Schema):
    team_id: int
    strategy: str
    members: list[MemberOut]


class EscalateIn(Schema):
    kind: EscalationKind
    reason: str = Field(min_length=1, max_length=2000)
    team_id: int | None = Field(default=None, description="The new team (functional only).")


class EscalationOut(Schema):
    id: int
    kind: Literal["functional", "hierarchical"]
    level: int
    actor_id: int | None
    at: datetime
    from_team_id: int | None
    to_team_id: int | None
    from_person_id: int | None
    to_person_id: int | None
    reason: str
