"""Subscribers to the record types' resolution and reopening events (subscribed in
SatisfactionConfig.ready()). Generic over registered record types: ``invite_on(Model,
"<id field>")`` builds the handler for one event type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from steward.satisfaction import services
from steward.workitems.models import WorkItem


def invite_on(model: type[WorkItem], id_field: str) -> Callable[[Any], None]:
    """A handler opening a survey for the record named by ``event.<id_field>``. The event
    must be emitted inside the resolving transaction (``emit_in_transaction``)."""

    def handler(event: Any) -> None:
        record = model.objects.select_related("requester").get(pk=getattr(event, id_field))
        services.survey_invite(record=record)

    handler.__qualname__ = f"invite_on_{model.__name__}"
    return handler


def void_on(model: type[WorkItem], id_field: str) -> Callable[[Any], None]:
    """A handler voiding the open survey of the reopened record."""

    def handler(event: Any) -> None:
        record = model.objects.get(pk=getattr(event, id_field))
        services.survey_void_for_record(record=record)

    handler.__qualname__ = f"void_on_{model.__name__}"
    return handler
