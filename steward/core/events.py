"""Domain events: typed, frozen, past-tense dataclasses delivered after commit.

Services call ``publish(event)``; delivery is registered with ``transaction.on_commit`` so that
subscribers never see an event for a change that rolled back. Subscribers register in their
app's ``AppConfig.ready()`` with ``subscribe(EventType, handler)``. Handlers must be thin: they
call services or enqueue jobs with row ids.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base class of all domain events."""


E = TypeVar("E", bound=Event)
M = TypeVar("M", bound=models.Model)
Handler = Callable[[Any], None]
_subscribers: dict[type[Event], list[Handler]] = defaultdict(list)
# The records an in-transaction emitter passed along, for its handlers (see ``loaded``).
_loaded: ContextVar[dict[tuple[type[models.Model], Any], models.Model] | None] = ContextVar(
    "steward_event_loaded", default=None
)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Register ``handler`` for events of ``event_type`` (idempotent)."""
    if handler not in _subscribers[event_type]:
        _subscribers[event_type].append(handler)


def subscribers(event_type: type[Event]) -> list[Handler]:
    return list(_subscribers.get(event_type, []))


def publish(event: Event) -> None:
    """Deliver ``event`` to its subscribers once the current transaction commits."""

    def deliver() -> None:
        for handler in subscribers(type(event)):
            handler(event)

    transaction.on_commit(deliver, robust=False)


def emit_in_transaction(event: Event, *, records: Iterable[models.Model] = ()) -> None:
    """Deliver ``event`` now, inside the caller's transaction.

    For effects that must not be lost: subscribers may only write rows (e.g. notification
    outbox rows), which then commit or roll back together with the change that caused them.
    The event itself carries ids; ``records`` are the instances the emitting service has just
    written, which its handlers may take with ``loaded`` instead of reading them again.
    """
    token = _loaded.set({(type(r), r.pk): r for r in records}) if records else None
    try:
        for handler in subscribers(type(event)):
            handler(event)
    finally:
        if token is not None:
            _loaded.reset(token)


def loaded(model: type[M], pk: Any) -> M | None:
    """The ``model`` instance with ``pk`` that the event being emitted in the transaction came
    with (``emit_in_transaction(records=...)``), or None: the handler reads it then."""
    found = (_loaded.get() or {}).get((model, pk))
    return found if isinstance(found, model) else None
