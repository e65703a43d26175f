"""API schemas of the CMDB: classes, CIs, relations, groups, history, impact."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from steward.cmdb.models import CiEnvironment, RelationKind


class AttributeDefinitionIn(Schema):
    """One attribute definition; the options per type are listed in ``cmdb.attrdef``."""

    key: str
    type: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = False
    choices: list[dict[str, str]] | None = None
    min: float | str | None = None
    max: float | str | None = None
    max_length: int | None = None
    pattern: str | None = None
    class_: str | None = Field(None, alias="class")
    version: int | None = None

    def definition(self) -> dict[str, Any]:
        return self.dict(by_alias=True, exclude_none=True, exclude_defaults=False)


class ClassOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    parent: str | None = Field(None, alias="parent.code")
    under_change_control: bool
    is_active: bool
    version: int
    attributes: list[dict[str, Any]]
    effective_attributes: list[dict[str, Any]]


class ClassCreateIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = ""
    parent: str | None = None
    under_change_control: bool = False
    attributes: list[AttributeDefinitionIn] = Field(default_factory=list)


class ClassUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description: str | None = None
    parent: str | None = None
    under_change_control: bool | None = None
    is_active: bool | None = None


class AttributesIn(Schema):
    attributes: list[AttributeDefinitionIn]


class CiBriefOut(Schema):
    ci_id: str
    name: str
    ci_class: str = Field(alias="ci_class.code")
    status: str
    criticality: int
    site: str | None = Field(None, alias="site.code")


class CiOut(Schema):
    ci_id: str
    name: str
    description: str
    ci_class: str = Field(alias="ci_class.code")
    status: str
    allowed_actions: list[str]
    owner_id: int | None
    support_team: str | None = Field(None, alias="support_team.code")
    site: str | None = Field(None, alias="site.code")
    criticality: int
    environment: str
    attributes: dict[str, Any]
    service: str | None = Field(None, alias="service.code")
    redundancy_group: str | None = Field(None, alias="redundancy_group.code")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_allowed_actions(obj: Any) -> list[str]:
        return list(obj.allowed_actions())


class CiWriteIn(Schema):
    """Fields shared by create and update; references are codes (team, site) or ids."""

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    ci_class: str | None = None
    owner_id: int | None = None
    support_team: str | None = None
    site: str | None = None
    criticality: int | None = Field(None, ge=1, le=4)
    environment: CiEnvironment | None = None
    attributes: dict[str, Any] | None = None
    change_number: str | None = Field(None, max_length=32)


class CiCreateIn(CiWriteIn):
    name: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    ci_class: str  # type: ignore[assignment]
    status: Literal["planned", "in_use"] = "in_use"


class CiUpdateIn(CiWriteIn):
    expected_version: int | None = None


class CiActionIn(Schema):
    expected_version: int | None = None
    change_number: str | None = Field(None, max_length=32)


class RelationOut(Schema):
    id: int
    kind: RelationKind
    source: CiBriefOut
    target: CiBriefOut
    note: str
    created_at: dt.datetime


class RelationCreateIn(Schema):
    kind: RelationKind
    target: str = Field(description="The CI id at the other end, e.g. CI-000123")
    note: str = Field("", max_length=200)
    change_number: str | None = Field(None, max_length=32)


class GroupOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    support_team: str | None = Field(None, alias="support_team.code")
    members: list[str]

    @staticmethod
    def resolve_members(obj: Any) -> list[str]:
        return sorted(ci.ci_id for ci in obj.members.all())


class GroupCreateIn(Schema):
    code: str = Field(min_length=1, max_length=48)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = ""
    support_team: str | None = None
    members: list[str] = Field(default_factory=list)
    change_number: str | None = Field(None, max_length=32)


class GroupMembersIn(Schema):
    members: list[str]
    change_number: str | None = Field(None, max_length=32)


class ChangeOut(Schema):
    id: int
    ci: str = Field(alias="ci.ci_id")
    other_ci: str | None = Field(None, alias="other_ci.ci_id")
    operation: str
    action: str
    field: str
    before: Any
    after: Any
    changed_at: dt.datetime
    actor_id: int | None
    source: str
    change_number: str | None
    unauthorised: bool
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    review_note: str

    @staticmethod
    def resolve_operation(obj: Any) -> str:
        return str(obj.operation)


class ReviewIn(Schema):
    note: str = Field("", max_length=500)
    change_number: str | None = Field(None, max_length=32)


class ImpactIn(Schema):
    ci_ids: list[str] = Field(min_length=1, max_length=200)
    limit: int = Field(200, ge=1, le=5000)


class ImpactedCiOut(CiBriefOut):
    distance: int


class ImpactedServiceOut(Schema):
    code: str
    name: str
    name_en: str
    ci_id: str
    criticality: int
    everywhere: bool
    everyone: bool
    departments: list[str]
    site_groups: list[str]
    sites: list[str]
    people: int


class SurvivingGroupOut(Schema):
    code: str
    name: str
    members_up: list[str]


class CandidateOut(CiBriefOut):
    distance: int
    explains: int
    redundancy_group: str | None


class ImpactOut(Schema):
    start: list[CiBriefOut]
    impacted_count: int
    impacted: list[ImpactedCiOut]
    truncated: bool
    services: list[ImpactedServiceOut]
    departments: list[str]
    sites: list[str]
    people: int
    everyone: bool
    surviving_groups: list[SurvivingGroupOut]
    upstream: list[CandidateOut]
