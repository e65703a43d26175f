"""Engineer scorecards: the figures of one engineer, and who may see whose."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.core.errors import NotPermitted
from steward.identity.models import Role
from steward.reports import permissions, selectors
from steward.reports.figures import Stats
from steward.reports.query import Period
from steward.reports.tests.conftest import NOW
from steward.testing import factories

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))


def test_scorecard_of_the_desk_agent(known):
    card = selectors.scorecard(user=known.agent, person=known.agent, period=MARCH, now=NOW)
    row = card.row
    assert (row.opened, row.resolved, row.backlog, row.reopened) == (3, 2, 1, 0)  # A, F; D
    assert row.frt_wall == Stats(3, 1700, 3600)  # A 3600, F 1200, D 300
    assert row.mttr_wall == Stats(2, 8700, 14400)  # A 14400, F 3000
    assert row.csat is None  # the satisfaction app is not wired: no made-up figures
    assert [(p.month, p.opened, p.resolved) for p in card.trend] == [("2026-03", 3, 2)]


def test_engineers_see_their_own_scorecard_only(known):
    assert permissions.can_view_scorecard(known.agent, known.agent)
    with pytest.raises(NotPermitted):
        selectors.scorecard(user=known.agent, person=known.network_agent, period=MARCH)
    rows = selectors.measures(user=known.agent, period=MARCH, by="engineer", now=NOW)
    assert [r.key for r in rows] == [known.agent.pk]


def test_team_leads_see_their_team(known):
    # The lead leads the desk (agent, lead); the network engineer is in another team.
    assert permissions.visible_engineer_ids(known.lead) == {known.agent.pk, known.lead.pk}
    assert selectors.scorecard(user=known.lead, person=known.agent, period=MARCH).row.resolved == 2
    with pytest.raises(NotPermitted):
        selectors.scorecard(user=known.lead, person=known.network_agent, period=MARCH)
    rows = selectors.measures(user=known.lead, period=MARCH, by="engineer", now=NOW)
    assert [r.key for r in rows] == [known.agent.pk]


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR, Role.SERVICE_OWNER])
def test_managers_see_every_engineer(known, role):
    manager = factories.person(roles=(role,))
    assert permissions.visible_engineer_ids(manager) is None
    card = selectors.scorecard(user=manager, person=known.network_agent, period=MARCH, now=NOW)
    assert (card.row.resolved, card.row.reassigned) == (1, 1)


def test_requesters_see_no_scorecard(known):
    with pytest.raises(NotPermitted):
        selectors.scorecard(user=known.requester, person=known.requester, period=MARCH)
    assert permissions.visible_engineer_ids(known.requester) == set()
