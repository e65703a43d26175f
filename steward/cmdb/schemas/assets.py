"""API schemas of the asset register and licences."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class AssetCreateIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    ci: str | None = None
    supplier: str = Field("", max_length=200)
    purchase_date: dt.date | None = None
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    warranty_end: dt.date | None = None
    lifecycle: Literal["ordered", "in_stock", "deployed"] = "in_stock"


class AssetUpdateIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    ci: str | None = None
    supplier: str | None = Field(None, max_length=200)
    purchase_date: dt.date | None = None
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=3)
    warranty_end: dt.date | None = None
    expected_version: int | None = None


class AssetOut(Schema):
    asset_tag: str
    name: str
    ci_id: str | None = Field(None, alias="ci.ci_id")
    supplier: str
    purchase_date: dt.date | None
    cost: Decimal | None
    currency: str
    warranty_end: dt.date | None
    lifecycle: str
    version: int


class AssetActionIn(Schema):
    action: Literal["receive", "deploy", "send_to_repair", "retire", "dispose"]


class LicenceCreateIn(Schema):
    code: str = Field(min_length=1, max_length=48)
    product: str = Field(min_length=1, max_length=200)
    publisher: str = Field("", max_length=200)
    supplier: str = Field("", max_length=200)
    entitlements: int = Field(ge=0)
    purchase_date: dt.date | None = None
    cost: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    ends_on: dt.date | None = None


class LicenceOut(Schema):
    code: str
    product: str
    publisher: str
    supplier: str
    entitlements: int
    installed: int
    purchase_date: dt.date | None
    cost: Decimal | None
    currency: str
    ends_on: dt.date | None


class InstallationIn(Schema):
    ci: str
    installed_on: dt.date


class ComplianceOut(Schema):
    code: str
    product: str
    entitlements: int
    installed: int
    available: int
    compliant: bool
    ends_on: dt.date | None
