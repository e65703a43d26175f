"""Ticket types register here so that generic features (search, exports, attachments,
timelines, record look-up by number) work on every type through one visibility rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise

from steward.workitems.models import WorkItem


@dataclass(frozen=True)
class RecordType:
    model: type[WorkItem]
    prefix: str  # e.g. "INC": numbers look like INC-000123
    label: str | Promise
    search_fields: tuple[str, ...] = ("number", "title")
    export_fields: tuple[str, ...] = field(
        default=("number", "title", "requester__username", "team__code", "opened_at", "closed_at")
    )


_types: dict[str, RecordType] = {}


def register(record_type: RecordType) -> None:
    _types[record_type.prefix.upper()] = record_type


def record_types() -> list[RecordType]:
    return list(_types.values())


def record_type_for_number(number: str) -> RecordType | None:
    prefix = number.split("-", 1)[0].upper()
    return _types.get(prefix)


def record_type_for_model(model: type[object]) -> RecordType | None:
    return next((t for t in _types.values() if t.model is model), None)
