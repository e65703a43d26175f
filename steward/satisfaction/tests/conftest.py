"""Fixtures of the satisfaction tests: a service desk with its lead, an engineer, a store
manager who raises incidents, and a helper resolving an incident through the services."""

from __future__ import annotations

from typing import Any

import pytest

from steward.identity.models import Role
from steward.incidents import services as incidents
from steward.satisfaction.models import Survey
from steward.testing import factories


@pytest.fixture
def agent(db: Any) -> Any:
    return factories.person(roles=(Role.AGENT,), username="wang", name="王工", name_en="Wang")


@pytest.fixture
def lead(db: Any) -> Any:
    return factories.person(roles=(Role.TEAM_LEAD,), username="li", name="李组长")


@pytest.fixture
def desk(agent: Any, lead: Any) -> Any:
    return factories.team(code="DESK", name="服务台", members=(agent, lead), lead=lead)


@pytest.fixture
def owner(db: Any) -> Any:
    return factories.person(roles=(Role.SERVICE_OWNER,), username="owner", name="周经理")


@pytest.fixture
def service(desk: Any, owner: Any) -> Any:
    return factories.service(code="POS", name="门店收银", support_team=desk, owner=owner)


@pytest.fixture
def requester(db: Any) -> Any:
    return factories.person(username="zhang", name="张店长", notification_channels=["email"])


@pytest.fixture
def resolved(agent: Any, requester: Any, service: Any) -> Any:
    """A function resolving a new incident of ``requester`` on POS, handled by ``agent``."""

    def make(**fields: Any) -> Any:
        return factories.incident_in("resolved", agent=agent, requester=requester,
                                     service=service, **fields)

    return make


@pytest.fixture
def survey(resolved: Any) -> Survey:
    incident = resolved()
    found: Survey = Survey.objects.get(object_id=incident.pk)
    return found


def reopen(incident: Any, *, actor: Any) -> Any:
    return incidents.incident_reopen(actor=actor, incident=incident, reason="还是打不开")
