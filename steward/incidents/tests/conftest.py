"""Fixtures of the incident tests: a service desk with its people, a service with a customer
SLA on the China calendar, a controllable clock, and a recorder of domain events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.catalogue.services import service_set_customers
from steward.cmdb import services as cmdb
from steward.core import events as core_events
from steward.identity.models import Role
from steward.incidents.events import ALL_EVENTS
from steward.incidents.models import Incident
from steward.sla import services as sla
from steward.sla.models import SlaClock
from steward.sla.tests.conftest import at, china  # noqa: F401 - fixture
from steward.testing import factories

MONDAY = at(2026, 3, 2, 10, 15)  # a working Monday, 10:15 in Shanghai
FIRST_RESPONSE = {"1": 15, "2": 30, "3": 60, "4": 240, "5": 480}
RESOLUTION = {"1": 240, "2": 480, "3": 960, "4": 2400, "5": 4800}
# The demo's service-desk conditions, plus "responded": a public agent reply stops the
# first-response clock as starting does.
SERVICE_DESK_STATES = {
    "first_response": {
        "start_states": ["new"],
        "stop_states": ["in_progress", "on_hold", "resolved", "responded"],
        "cancel_states": ["cancelled"],
    },
    "resolution": {
        "start_states": ["new"],
        "pause_states": ["on_hold"],
        "stop_states": ["resolved"],
        "cancel_states": ["cancelled"],
    },
}


class Clock:
    """``timezone.now`` under the test's control."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock(MONDAY)
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@dataclass
class EventLog:
    """Domain events as subscribers receive them: in the transaction or on commit."""

    capture_on_commit: Callable[..., Any]
    items: list[core_events.Event] = field(default_factory=list)

    def append(self, event: core_events.Event) -> None:
        self.items.append(event)

    @contextmanager
    def capture(self) -> Iterator[EventLog]:
        """Record the events of the block, running its on-commit callbacks at the end."""
        self.items.clear()
        with self.capture_on_commit(execute=True):
            yield self

    @property
    def names(self) -> list[str]:
        return [type(event).__name__ for event in self.items]


@pytest.fixture
def isolated_subscribers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subscriptions made by the test vanish after it."""
    copy = defaultdict(list, {k: list(v) for k, v in core_events._subscribers.items()})
    monkeypatch.setattr(core_events, "_subscribers", copy)


@pytest.fixture
def events(isolated_subscribers: None, django_capture_on_commit_callbacks: Any) -> EventLog:
    log = EventLog(django_capture_on_commit_callbacks)
    for event_type in ALL_EVENTS:
        core_events.subscribe(event_type, log.append)
    return log


@pytest.fixture
def agent(db: Any) -> Any:
    return factories.person(roles=(Role.AGENT,), name="王工", name_en="Wang")


@pytest.fixture
def lead(db: Any) -> Any:
    return factories.person(roles=(Role.TEAM_LEAD,), name="李组长", name_en="Li")


@pytest.fixture
def desk(agent: Any, lead: Any) -> Any:
    return factories.team(code="DESK", name="服务台", members=(agent, lead), lead=lead)


@pytest.fixture
def network_agent(db: Any) -> Any:
    return factories.person(roles=(Role.AGENT,), name="赵工")


@pytest.fixture
def network(network_agent: Any) -> Any:
    return factories.team(code="NET", name="网络组", members=(network_agent,))


@pytest.fixture
def requester(db: Any) -> Any:
    store = factories.department(code="STORES", name="门店运营部")
    return factories.person(
        name="张店长", department=store, site=factories.site(name="上海徐汇店", department=store)
    )


@pytest.fixture
def admin(db: Any) -> Any:
    return factories.person(roles=(Role.ADMINISTRATOR,))


@pytest.fixture
def auditor(db: Any) -> Any:
    return factories.person(roles=(Role.AUDITOR,))


@pytest.fixture
def service(desk: Any) -> Any:
    return factories.service(
        code="POS", name="门店收银", name_en="Store checkout", support_team=desk
    )


@pytest.fixture
def agreement(china: Any, service: Any) -> Any:  # noqa: F811 - fixture
    agreement = sla.agreement_create(
        actor=None,
        code="SLA-POS",
        name="门店收银服务级别协议",
        service=service,
        valid_from=dt.date(2026, 1, 1),
    )
    for kind, targets in (("first_response", FIRST_RESPONSE), ("resolution", RESOLUTION)):
        sla.metric_set(
            actor=None,
            agreement=agreement,
            kind=kind,
            calendar=china,
            targets=targets,
            **SERVICE_DESK_STATES[kind],
        )
    sla.agreement_activate(actor=None, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def raise_incident(
    clock: Clock, agreement: Any, requester: Any, service: Any
) -> Callable[..., Incident]:
    """Raise an incident on the POS service (with its SLA) for the requester at the clock."""

    def make(**fields: Any) -> Incident:
        fields.setdefault("requester", requester)
        fields.setdefault("service", service)
        fields.setdefault("title", "收银机无法开机")
        return factories.incident(**fields)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def incident_in(
    clock: Clock, agreement: Any, requester: Any, service: Any, agent: Any
) -> Callable[..., Incident]:
    """An incident on the POS service driven to a status by the desk agent."""

    def make(status: str, **fields: Any) -> Incident:
        fields.setdefault("requester", requester)
        fields.setdefault("service", service)
        fields.setdefault("title", "收银机无法开机")
        return factories.incident_in(status, agent=agent, **fields)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def pos_server(service: Any, requester: Any) -> Any:
    """The checkout server: the POS service (customers: the stores department) uses it."""
    service_set_customers(actor=None, service=service, departments=[requester.department])
    service_class = factories.ci_class(code="service", name="服务")
    server = factories.ci(name="收银服务器", site=requester.site)
    factories.relation(
        server, "used_by",
        cmdb.ci_for_service(actor=None, service=service, ci_class=service_class),
    )
    return server


def audit_entries(incident: Incident) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(Incident)
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_id=str(incident.pk)).order_by(
            "seq"
        )
    )


def clocks(incident: Incident) -> dict[str, SlaClock]:
    """The incident's clocks by metric kind (the latest of each)."""
    found = SlaClock.objects.filter(record_number=incident.number).order_by("started_at", "pk")
    return {clock.kind: clock for clock in found}


def state_of(incident: Incident) -> dict[str, Any]:
    """Everything a refused action must leave as it was: the row, its audit entries, clocks."""
    row = Incident.objects.filter(pk=incident.pk).values().get()
    return {
        "row": row,
        "audit": [entry.seq for entry in audit_entries(incident)],
        "clocks": sorted(
            SlaClock.objects.filter(record_number=incident.number).values_list(
                "kind", "state", "elapsed_seconds", "due_at"
            )
        ),
        "comments": incident.comments.count(),
    }
