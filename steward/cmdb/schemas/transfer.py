"""API schemas of CMDB import, export and discovery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class ImportReadingIn(Schema):
    encoding: str | None = Field(default=None, max_length=32)
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    sheet: str | None = Field(default=None, max_length=100)


class ImportCreateIn(Schema):
    """The options of an import, sent as the JSON form field ``options`` next to ``file``."""

    mapping: dict[str, str] = Field(description="file column → CI field")
    match_on: list[str] = Field(description="identification rule: mapped CI fields")
    default_class: str | None = None
    value_map: dict[str, dict[str, str]] = Field(default_factory=dict)
    reading: ImportReadingIn = Field(default_factory=lambda: ImportReadingIn())
    dry_run: bool = True


class ImportJobOut(Schema):
    id: int
    file_name: str
    file_format: str
    mapping: dict[str, str]
    match_on: list[str]
    default_class: str | None = Field(None, alias="default_class.code")
    dry_run: bool
    status: str
    total: int
    processed: int
    percent: int
    created_count: int
    updated_count: int
    unchanged_count: int
    rejected_count: int
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_percent(obj: Any) -> int:
        return 100 if not obj.total else obj.processed * 100 // obj.total


class ImportRowOut(Schema):
    row: int
    outcome: str
    ci_id: str | None = Field(None, alias="ci.ci_id")
    key: str
    column: str
    reason: str
    fields: list[str]


class DiscoveryIn(Schema):
    """Hosts reported by a discovery script: Ansible facts (``{"ansible_facts": {...}}``) or
    CI fields (``{"name": ..., "site": ..., "attributes": {...}}``)."""

    source: str = Field(min_length=1, max_length=80)
    hosts: list[dict[str, Any]] = Field(max_length=1000)
    rules: list[list[str]] | None = None
    default_class: str | None = None
    observed_at: dt.datetime | None = None


class DiscoveryHostOut(Schema):
    index: int
    outcome: str
    ci_id: str | None = Field(None, alias="ci.ci_id")
    column: str
    reason: str
    fields: list[str]
    ignored: list[str]


class FactOut(Schema):
    field: str
    value: Any = None
    source: str
    observed_at: dt.datetime
    recorded_at: dt.datetime
