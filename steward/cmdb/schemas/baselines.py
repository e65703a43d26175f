"""API schemas of baselines and configuration audits."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class ScopeIn(Schema):
    ci_class: str | None = None
    site: str | None = None
    team: str | None = None
    status: str | None = None
    environment: str | None = None
    ci_ids: list[str] | None = None


class BaselineCreateIn(Schema):
    code: str = Field(min_length=1, max_length=48)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scope: ScopeIn = Field(default_factory=lambda: ScopeIn())


class BaselineOut(Schema):
    code: str
    name: str
    description: str
    scope: dict[str, Any]
    taken_at: dt.datetime
    item_count: int


class FieldChangeOut(Schema):
    ci_id: str
    field: str
    before: Any = None
    after: Any = None


class ComparisonOut(Schema):
    left: str
    right: str
    same: bool
    added: list[str]
    removed: list[str]
    changed: list[FieldChangeOut]


class AuditCreateIn(Schema):
    code: str = Field(min_length=1, max_length=48)
    name: str = Field(min_length=1, max_length=200)
    scope: ScopeIn = Field(default_factory=lambda: ScopeIn())
    first_due: dt.date
    interval_days: int = Field(90, ge=1, le=3660)
    baseline: str | None = None
    stale_after_days: int | None = Field(None, ge=1)
    support_team: str | None = None


class AuditOut(Schema):
    code: str
    name: str
    scope: dict[str, Any]
    baseline: str | None = Field(None, alias="baseline.code")
    interval_days: int
    stale_after_days: int | None
    next_due: dt.date
    support_team: str | None = Field(None, alias="support_team.code")
    is_active: bool


class AuditRunOut(Schema):
    id: int
    due_date: dt.date
    ran_at: dt.datetime
    checked: int
    finding_count: int


class FindingOut(Schema):
    id: int
    audit: str = Field(alias="run.audit.code")
    due_date: dt.date = Field(alias="run.due_date")
    ci_id: str = Field(alias="ci.ci_id")
    kind: str
    field: str
    detail: dict[str, Any]
    status: str
    action: str
    action_due: dt.date | None
    closed_at: dt.datetime | None


class FindingActIn(Schema):
    action: Literal["plan_action", "resolve", "accept"]
    note: str = Field("", max_length=2000)
    action_due: dt.date | None = None
