"""API schemas of the service catalogue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    position: int


class RequestItemBriefOut(Schema):
    code: str
    name: str
    name_en: str
    promised_minutes: int
    version: int

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.current.name)

    @staticmethod
    def resolve_name_en(obj: Any) -> str:
        return str(obj.current.name_en)

    @staticmethod
    def resolve_promised_minutes(obj: Any) -> int:
        return int(obj.current.promised_minutes)

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.current.number)


class ServiceOut(Schema):
    id: int = Field(description="What `service_id` takes elsewhere, e.g. when raising an incident.")
    code: str
    name: str
    name_en: str
    description: str
    description_en: str
    kind: str
    category: str | None
    owner_id: int
    support_team: str
    criticality: int
    lifecycle: str
    visibility: str
    availability_target: Decimal
    version: int
    customer_departments: list[str]
    customer_site_groups: list[str]
    depends_on: list[str]
    request_items: list[RequestItemBriefOut]

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_support_team(obj: Any) -> str:
        return str(obj.support_team.code)

    @staticmethod
    def resolve_customer_departments(obj: Any) -> list[str]:
        return sorted(d.code for d in obj.customer_departments.all())

    @staticmethod
    def resolve_customer_site_groups(obj: Any) -> list[str]:
        return sorted(g.code for g in obj.customer_site_groups.all())

    @staticmethod
    def resolve_depends_on(obj: Any) -> list[str]:
        return sorted(s.code for s in obj.depends_on.all())

    @staticmethod
    def resolve_request_items(obj: Any) -> list[Any]:
        return [i for i in obj.request_items.all() if i.is_active and i.current_id]


class ServiceCreateIn(Schema):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = ""
    description_en: str = ""
    kind: str = "business"
    category: str | None = None
    owner_id: int
    support_team: str
    criticality: int = Field(3, ge=1, le=4)
    lifecycle: str = "pipeline"
    visibility: str = "portal"
    availability_target: Decimal = Decimal("99.500")
    keywords: str = ""


class ServiceUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description: str | None = None
    description_en: str | None = None
    kind: str | None = None
    category: str | None = None
    owner_id: int | None = None
    support_team: str | None = None
    criticality: int | None = Field(None, ge=1, le=4)
    lifecycle: str | None = None
    visibility: str | None = None
    availability_target: Decimal | None = None
    keywords: str | None = None


class DependenciesIn(Schema):
    depends_on: list[str]


class CustomersIn(Schema):
    departments: list[str] = Field(default_factory=list)
    site_groups: list[str] = Field(default_factory=list)


class ItemVersionOut(Schema):
    number: int
    name: str
    name_en: str
    description: str
    description_en: str
    form: list[dict[str, Any]]
    approval_kind: str
    approval_mode: str
    approval_team: str | None
    task_mode: str
    tasks: list[dict[str, Any]]
    instructions: str
    promised_minutes: int
    created_at: dt.datetime

    @staticmethod
    def resolve_approval_team(obj: Any) -> str | None:
        return obj.approval_team.code if obj.approval_team_id else None


class RequestItemOut(Schema):
    code: str
    service: str
    is_active: bool
    current: ItemVersionOut
    versions: list[int]

    @staticmethod
    def resolve_service(obj: Any) -> str:
        return str(obj.service.code)

    @staticmethod
    def resolve_versions(obj: Any) -> list[int]:
        return sorted(v.number for v in obj.versions.all())


class ItemDefinitionIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description: str | None = None
    description_en: str | None = None
    form: list[dict[str, Any]] | None = None
    approval_kind: str | None = None
    approval_mode: str | None = None
    approval_team: str | None = None
    task_mode: str | None = None
    tasks: list[dict[str, Any]] | None = None
    instructions: str | None = None
    promised_minutes: int | None = Field(None, ge=1)


class ItemCreateIn(ItemDefinitionIn):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]


class AnswersIn(Schema):
    answers: dict[str, Any]


class AnswersOut(Schema):
    version: int
    cleaned: dict[str, Any]
