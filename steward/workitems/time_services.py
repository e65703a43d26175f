"""Writes of time entries: log, change, delete. Each records one audit entry on the record,
so the record's timeline shows the time booked on it.

The caller's selector decided the actor may see the record. Bad input is a
``ValidationFailed`` naming the field, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.workitems import time_permissions as perms
from steward.workitems.models import WorkItem
from steward.workitems.time_models import MAX_MINUTES, ActivityType, TimeEntry

EDITABLE = ("minutes", "work_date", "activity", "note")
TRACKED = ("person", *EDITABLE)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    unknown = sorted(set(cleaned) - set(EDITABLE))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    if "minutes" in cleaned:
        minutes = cleaned["minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            raise ValidationFailed(_("Give the time in whole minutes, more than 0."),
                                   field="minutes")
        if minutes > MAX_MINUTES:
            raise ValidationFailed(_("At most 1440 minutes (24 hours) in one entry."),
                                   field="minutes")
    if "work_date" in cleaned:
        day = cleaned["work_date"]
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ValidationFailed(_("Give the date the work was done."), field="work_date")
        if day > timezone.localdate():
            raise ValidationFailed(_("The work date is in the future."), field="work_date")
    if "activity" in cleaned:
        activity = cleaned["activity"]
        if activity is not None and not (
            isinstance(activity, ActivityType) and activity.is_active
        ):
            raise ValidationFailed(_("Unknown or retired activity type."), field="activity_id")
    if "note" in cleaned:
        cleaned["note"] = " ".join(str(cleaned["note"] or "").split())
        if len(cleaned["note"]) > 500:
            raise ValidationFailed(_("At most 500 characters."), field="note")
    return cleaned


def time_entry_log(
    *,
    actor: Any,
    record: WorkItem,
    minutes: int,
    work_date: dt.date | None = None,
    activity: ActivityType | None = None,
    note: str = "",
    person: Any = None,
) -> TimeEntry:
    """Book ``minutes`` of ``person``'s work (default: the actor's) on ``record``.

    Errors: ``NotPermitted`` (not staff who work records; someone else's time without being
    their team lead); ``ValidationFailed`` (minutes, work_date, activity_id, note).
    """
    person = person if person is not None else actor
    if not perms.can_log_time(actor):
        raise NotPermitted(_("Only people who work records log time on them."))
    if not perms.can_correct_time_of(actor, person.pk):
        raise NotPermitted(_("You may log time only for yourself or your team."))
    cleaned = _clean({
        "minutes": minutes, "work_date": work_date or timezone.localdate(),
        "activity": activity, "note": note,
    })
    with transaction.atomic():
        now = timezone.now()
        entry = TimeEntry(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk,
            record_number=record.number, person=person, created_by=actor, created_at=now,
            updated_at=now, **cleaned,
        )
        entry.save(force_insert=True)
        audit_record(actor=actor, obj=record, action="time_logged",
                     changes={"time_entry": entry.pk, **snapshot(entry, TRACKED)})
    return entry


def _record_of(entry: TimeEntry) -> WorkItem:
    model = entry.content_type.model_class()
    assert model is not None
    record: WorkItem = model._default_manager.get(pk=entry.object_id)  # type: ignore[assignment]
    return record


def _locked(entry: TimeEntry, version: int | None) -> TimeEntry:
    locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            _("The time entry was changed by someone else since you read it. Reload it."),
            code="stale_version", field="version",
        )
    return locked


def time_entry_update(
    *, actor: Any, entry: TimeEntry, version: int, changes: dict[str, Any]
) -> TimeEntry:
    """Change minutes, date, activity or note of an entry (own; a team lead their team's).

    Errors: ``NotPermitted``, ``Conflict`` (``stale_version``), ``ValidationFailed``.
    """
    if not perms.can_correct_time_of(actor, entry.person_id):
        raise NotPermitted(_("You may change only your own time entries."))
    cleaned = _clean(changes)
    with transaction.atomic():
        locked = _locked(entry, version)
        before = snapshot(locked, TRACKED)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        changed = diff(before, snapshot(locked, TRACKED))
        if not changed:
            return locked
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        audit_record(actor=actor, obj=_record_of(locked), action="time_changed",
                     changes={"time_entry": locked.pk, **changed})
    return locked


def time_entry_delete(*, actor: Any, entry: TimeEntry) -> None:
    """Remove an entry (own; a team lead their team's). The audit entry keeps what it was."""
    if not perms.can_correct_time_of(actor, entry.person_id):
        raise NotPermitted(_("You may delete only your own time entries."))
    with transaction.atomic():
        locked = _locked(entry, None)
        record = _record_of(locked)
        kept = snapshot(locked, TRACKED)
        pk = locked.pk
        locked.delete()
        audit_record(actor=actor, obj=record, action="time_deleted",
                     changes={"time_entry": pk, **kept})
