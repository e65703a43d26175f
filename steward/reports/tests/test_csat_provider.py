"""The satisfaction app's surveys as the reports' CSAT figures (the wired provider)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from steward.identity.models import Role
from steward.reports import csat, selectors
from steward.reports.figures import CsatFigures
from steward.reports.query import Period
from steward.satisfaction.models import Survey
from steward.satisfaction.services.surveys import survey_rate
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    agent = factories.person(roles=(Role.AGENT,), username="wang", name="王工")
    other = factories.person(roles=(Role.AGENT,), username="zhao", name="赵工")
    lead = factories.person(roles=(Role.TEAM_LEAD,), username="li", name="李组长")
    team = factories.team(code="DESK", name="服务台", members=(agent, other, lead), lead=lead)
    service = factories.service(code="POS", name="门店收银", support_team=team)
    requester = factories.person(username="zhang", name="张店长")
    return agent, other, lead, team, service, requester


def _resolved(agent, requester, service):
    incident = factories.incident_in("resolved", agent=agent, requester=requester,
                                     service=service)
    return Survey.objects.get(object_id=incident.pk)


def _this_month() -> Period:
    today = timezone.localdate()
    start = today.replace(day=1)
    return Period(start, (start + dt.timedelta(days=32)).replace(day=1))


def test_ratings_reach_team_engineer_and_total_rows(desk):
    agent, other, lead, team, service, requester = desk
    survey_rate(actor=requester, survey=_resolved(agent, requester, service), rating=5)
    survey_rate(actor=requester, survey=_resolved(agent, requester, service), rating=2)
    _resolved(agent, requester, service)  # invited, not rated
    survey_rate(actor=requester, survey=_resolved(other, requester, service), rating=4)
    assert csat.connected()

    by_team = {r.key: r.csat for r in selectors.measures(user=lead, period=_this_month(),
                                                        by="team")}
    by_engineer = {r.key: r.csat for r in selectors.measures(user=lead, period=_this_month(),
                                                            by="engineer")}
    [total] = selectors.measures(user=lead, period=_this_month(), by="total")

    assert by_team[team.pk] == CsatFigures(Decimal("3.67"), Decimal("66.7"), 3, Decimal("75.0"))
    assert by_engineer[agent.pk] == CsatFigures(Decimal("3.50"), Decimal("50.0"), 2,
                                                Decimal("66.7"))
    assert by_engineer[other.pk] == CsatFigures(Decimal("4.00"), Decimal("100.0"), 1,
                                                Decimal("100.0"))
    assert total.csat == by_team[team.pk]


def test_an_engineer_sees_only_their_own_satisfaction_figures(desk):
    agent, other, lead, team, service, requester = desk
    survey_rate(actor=requester, survey=_resolved(agent, requester, service), rating=5)

    [own] = selectors.measures(user=agent, period=_this_month(), by="engineer")
    [total] = selectors.measures(user=agent, period=_this_month(), by="total")

    assert own.key == agent.pk
    assert own.csat == CsatFigures(Decimal("5.00"), Decimal("100.0"), 1, Decimal("100.0"))
    assert total.csat is None


def test_a_period_without_surveys_has_no_figures(desk):
    agent, other, lead, team, service, requester = desk
    survey_rate(actor=requester, survey=_resolved(agent, requester, service), rating=5)
    last_year = Period(dt.date(2025, 1, 1), dt.date(2026, 1, 1))

    rows = selectors.measures(user=lead, period=last_year, by="team")

    assert [r.csat for r in rows] == [None] * len(rows)
