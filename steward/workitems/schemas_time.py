"""API input/output of time entries."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class TimeEntryIn(Schema):
    minutes: int = Field(description="Whole minutes, 1 to 1440.")
    work_date: dt.date | None = Field(default=None, description="Default: today.")
    activity_id: int | None = None
    note: str = ""
    person_id: int | None = Field(
        default=None, description="Someone else's time (their team lead, administrators)."
    )


class TimeEntryPatchIn(Schema):
    version: int = Field(ge=1, description="The version you read; a stale one is a 409.")
    minutes: int | None = None
    work_date: dt.date | None = None
    activity_id: int | None = None
    note: str | None = None


class TimeEntryOut(Schema):
    id: int
    record_number: str
    person_id: int
    minutes: int
    work_date: dt.date
    activity_id: int | None
    note: str
    created_by_id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int


class PersonTotalOut(Schema):
    person_id: int
    person_label: str
    minutes: int
    entries: int


class RecordTimeOut(Schema):
    minutes: int
    by_person: list[PersonTotalOut]
    entries: list[TimeEntryOut]


class PeriodSumOut(Schema):
    person_id: int
    period: dt.date
    minutes: int


class ActivityTypeOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
