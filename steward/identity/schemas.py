"""API schemas of the organisation model."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from steward.identity.models import Language, NotificationChannelKind, Role, TokenScope


class PersonOut(Schema):
    id: int
    username: str
    name: str
    name_en: str
    email: str
    phone: str
    language: Language
    time_zone: str
    department_id: int | None
    site_id: int | None
    manager_id: int | None
    is_active: bool
    is_vip: bool
    notification_channels: list[str]
    roles: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_roles(obj: object) -> list[str]:
        return sorted(obj.role_grants.values_list("role", flat=True))  # type: ignore[attr-defined]


class PersonCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    language: Language = Language.ZH_HANS
    time_zone: str = "Asia/Shanghai"
    department_id: int | None = None
    site_id: int | None = None
    manager_id: int | None = None
    roles: list[Role] = Field(default_factory=lambda: [Role.REQUESTER])
    password: str | None = Field(None, min_length=1, max_length=128)


class PersonUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    language: Language | None = None
    time_zone: str | None = None
    department_id: int | None = None
    site_id: int | None = None
    manager_id: int | None = None
    is_vip: bool | None = None
    notification_channels: list[NotificationChannelKind] | None = None
    wecom_userid: str | None = Field(None, max_length=64)
    dingtalk_userid: str | None = Field(None, max_length=64)
    feishu_userid: str | None = Field(None, max_length=64)


class RolesIn(Schema):
    roles: list[Role]


class TeamOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    email: str
    lead_id: int | None
    is_active: bool
    member_ids: list[int] = Field(default_factory=list)

    @staticmethod
    def resolve_member_ids(obj: object) -> list[int]:
        return sorted(m.person_id for m in obj.memberships.all())  # type: ignore[attr-defined]


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    cost_centre: str


class SiteOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    region: str
    address: str
    time_zone: str
    department_id: int | None
    is_active: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    scope: TokenScope = TokenScope.READ
    expires_at: datetime | None = None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown once; store it now.")
