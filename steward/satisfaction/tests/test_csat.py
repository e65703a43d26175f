"""CSAT figures per team, engineer, service, month and overall: average, % satisfied,
ratings, invitations, response rate; void surveys are not counted; who may see them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.satisfaction import csat, exports, services
from steward.satisfaction.models import Survey
from steward.satisfaction.tests.conftest import reopen
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(resolved: Any, requester: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Four resolutions rated 5, 4, 2 and one not rated, plus one voided by a reopening."""
    for rating in (5, 4, 2, None):
        incident = resolved()
        if rating is not None:
            survey = Survey.objects.get(object_id=incident.pk, status="invited")
            services.survey_rate(actor=requester, survey=survey, rating=rating)
    with django_capture_on_commit_callbacks(execute=True):
        reopen(resolved(), actor=requester)


def test_figures_per_team(rated: None, lead: Any) -> None:
    rows = csat.csat_table(user=lead, by="team")
    assert [(r.key, r.invited, r.rated, r.satisfied, r.average, r.satisfied_pct, r.response_pct,
             r.complaints) for r in rows] == [
        ("DESK", 4, 3, 2, Decimal("3.67"), Decimal("66.7"), Decimal("75.0"), 1)]


@pytest.mark.parametrize(("_case", "by", "key"), [
    ("overall", "overall", ""), ("engineer", "engineer", "wang"), ("service", "service", "POS")])
def test_every_grouping_counts_the_same_surveys(rated: None, lead: Any, _case: str, by: str,
                                                key: str) -> None:
    [row] = csat.csat_table(user=lead, by=by)
    assert (row.key, row.invited, row.rated, row.average) == (key, 4, 3, Decimal("3.67"))


def test_per_month_in_local_time(rated: None, lead: Any) -> None:
    [row] = csat.csat_table(user=lead, by="month")
    assert (row.key, row.invited) == (timezone.localdate().strftime("%Y-%m"), 4)


def test_a_period_without_surveys_is_empty(rated: None, lead: Any) -> None:
    day = timezone.localdate() - timezone.timedelta(days=40)
    assert csat.csat_table(user=lead, by="team", since=day, until=day) == []


@pytest.mark.parametrize("_case", ["agent", "requester"])
def test_agents_and_requesters_may_not_see_the_figures(agent: Any, requester: Any, _case: str
                                                       ) -> None:
    with pytest.raises(NotPermitted):
        csat.csat_table(user={"agent": agent, "requester": requester}[_case])


def test_an_unknown_grouping_is_refused(lead: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        csat.csat_table(user=lead, by="store")
    assert refused.value.field == "by"


def test_csv_export_has_the_table(rated: None) -> None:
    auditor = factories.person(roles=(Role.AUDITOR,))
    text = exports.csat_csv(csat.csat_table(user=auditor, by="team"), "team")
    assert text.splitlines() == [
        "\ufeffteam,team_name,average,satisfied_pct,rated,invited,response_pct,satisfied,"
        "complaints",
        "DESK,服务台,3.67,66.7,3,4,75.0,2,1",
    ]
