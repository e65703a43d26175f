"""Time entries over every registered record type, at /api/v1/records: a record's entries and
totals, logging, changing and deleting entries, activity types, and per-person sums."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Status

from steward.core.refs import lookup
from steward.identity.models import Person
from steward.workitems import selectors, time_selectors, time_services
from steward.workitems.schemas_time import (
    ActivityTypeOut,
    PeriodSumOut,
    RecordTimeOut,
    TimeEntryIn,
    TimeEntryOut,
    TimeEntryPatchIn,
)
from steward.workitems.time_models import ActivityType

router = Router(tags=["records"])


@router.get("/time/activity-types", response=list[ActivityTypeOut],
            operation_id="time_activity_types")
def time_activity_types(request: HttpRequest) -> Any:
    return time_selectors.activity_types()


@router.get("/time/sums", response=list[PeriodSumOut], operation_id="time_sums")
def time_sums(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    period: Literal["day", "week", "month"] = "month",
    person_id: int | None = None,
) -> Any:
    return time_selectors.time_sums_by_person(
        user=request.user, start=start, end=end, period=period,
        person_ids=[person_id] if person_id is not None else None,
    )


@router.patch("/time-entries/{entry_id}", response=TimeEntryOut, operation_id="time_update")
def time_update(request: HttpRequest, entry_id: int, payload: TimeEntryPatchIn) -> Any:
    entry = time_selectors.time_entry_get_for(user=request.user, entry_id=entry_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "activity_id" in changes:
        changes["activity"] = lookup(ActivityType, changes.pop("activity_id"),
                                     field="activity_id")
    return time_services.time_entry_update(
        actor=request.user, entry=entry, version=version, changes=changes
    )


@router.delete("/time-entries/{entry_id}", response={204: None}, operation_id="time_delete")
def time_delete(request: HttpRequest, entry_id: int) -> Any:
    entry = time_selectors.time_entry_get_for(user=request.user, entry_id=entry_id)
    time_services.time_entry_delete(actor=request.user, entry=entry)
    return Status(204, None)


@router.get("/{number}/time", response=RecordTimeOut, operation_id="time_list")
def time_list(request: HttpRequest, number: str) -> Any:
    record = selectors.record_get_for(user=request.user, number=number)
    totals = time_selectors.time_totals_for(record=record)
    return {"minutes": totals.minutes, "by_person": totals.by_person,
            "entries": list(time_selectors.time_entries_for(record=record))}


@router.post("/{number}/time", response={201: TimeEntryOut}, operation_id="time_log")
def time_log(request: HttpRequest, number: str, payload: TimeEntryIn) -> Any:
    record = selectors.record_get_for(user=request.user, number=number)
    return Status(201, time_services.time_entry_log(
        actor=request.user, record=record, minutes=payload.minutes, work_date=payload.work_date,
        activity=lookup(ActivityType, payload.activity_id, field="activity_id"),
        note=payload.note, person=lookup(Person, payload.person_id, field="person_id"),
    ))
