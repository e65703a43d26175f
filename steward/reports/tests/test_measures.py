"""The measures on a desk with known answers (see conftest for the story and the arithmetic)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.identity.models import Role
from steward.incidents import services as incidents
from steward.reports import selectors
from steward.reports.figures import Stats
from steward.reports.query import Filters, Period
from steward.reports.tests.conftest import NOW
from steward.sla.tests.conftest import at
from steward.testing import factories

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
APRIL = Period(dt.date(2026, 4, 1), dt.date(2026, 5, 1))


def _total(known, period=MARCH, **filters):
    rows = selectors.measures(
        user=known.lead, period=period, filters=Filters(**filters), by="total", now=NOW
    )
    assert len(rows) == 1
    return rows[0]


def test_volumes_and_rates_for_march(known):
    row = _total(known)
    assert (row.opened, row.resolved, row.closed) == (4, 3, 1)
    assert (row.first_contact, row.fcr_pct) == (1, Decimal("33.33"))  # A only
    assert (row.reopened, row.reopen_pct) == (0, Decimal("0.00"))
    assert (row.reassigned, row.reassignments) == (1, 1)  # B
    assert (row.reassigned_pct, row.reassignment_mean) == (Decimal("33.33"), Decimal("0.33"))


def test_durations_wall_and_business_for_march(known):
    row = _total(known)
    assert row.frt_wall == Stats(4, 1725, 3600)  # 3600, 1200, 1800, 300
    assert row.frt_business == Stats(4, 1725, 3600)
    assert row.mtta == Stats(4, 1275, 1800)  # 1800, 1200, 1800, 300
    assert row.mttr_wall == Stats(3, 83800, 234000)  # 14400, 3000, 234000
    assert row.mttr_business == Stats(3, 7000, 10800)  # 10800, 3000, 7200


def test_sla_compliance_for_march(known):
    row = _total(known)
    assert (row.sla_response.met, row.sla_response.breached) == (3, 1)  # A's P1 response
    assert row.sla_response.compliance == Decimal("75.00")
    assert (row.sla_resolution.met, row.sla_resolution.breached) == (3, 0)


def test_april_counts_the_reopened_incident_over_the_holiday(known):
    row = _total(known, period=APRIL)
    assert (row.opened, row.resolved, row.closed) == (2, 1, 0)
    assert (row.reopened, row.reopen_pct, row.fcr_pct) == (1, Decimal("100.00"), Decimal("0.00"))
    assert row.mttr_wall == Stats(1, 496800, 496800)
    assert row.mttr_business == Stats(1, 43200, 43200)


def test_backlog_is_a_snapshot_with_age_buckets(known):
    row = _total(known)
    assert (row.backlog, row.on_hold) == (2, 1)
    assert row.ages == {"lt1d": 1, "d1_3": 0, "d3_7": 0, "d7_30": 1, "gt30d": 0}
    assert row.oldest_opened_at == known.d.opened_at


def test_open_at_the_end_of_a_past_period_and_of_the_current_one(known):
    # 31 March ends with D on hold; A closed, B and F resolved; C and E not yet raised.
    assert _total(known, MARCH).open_at_end == 1
    # April has not ended (now is 10 April): D and E are open, C resolved again on 8 April.
    assert _total(known, APRIL).open_at_end == 2
    teams = {
        r.key: r.open_at_end
        for r in selectors.measures(user=known.lead, period=MARCH, by="team", now=NOW)
    }
    assert teams == {known.desk.pk: 1, known.network.pk: 0}


def test_an_incident_resolved_after_the_period_counts_as_open_at_its_end(known, clock):
    clock.set(at(2026, 4, 10, 12, 30))
    incidents.incident_resolve(
        actor=known.agent, incident=known.d, resolution_code="solution_provided",
        resolution_note="供应商已修复",
    )
    later = at(2026, 4, 10, 13, 0)
    march = selectors.measures(user=known.lead, period=MARCH, now=later)[0]
    april = selectors.measures(user=known.lead, period=APRIL, now=later)[0]
    assert (march.open_at_end, april.open_at_end, april.backlog) == (1, 1, 1)


def test_grouped_per_team_and_engineer(known, admin):
    teams = {
        r.key: r
        for r in selectors.measures(user=known.lead, period=MARCH, by="team", now=NOW)
    }
    assert set(teams) == {known.desk.pk, known.network.pk}
    desk, network = teams[known.desk.pk], teams[known.network.pk]
    assert (desk.opened, desk.resolved, desk.backlog) == (3, 2, 2)
    assert (network.opened, network.resolved, network.reassigned) == (1, 1, 1)
    assert network.mttr_business == Stats(1, 7200, 7200)
    assert desk.label == "DESK 服务台"
    admin_rows = selectors.measures(
        user=admin, period=MARCH, by="engineer", now=NOW
    )
    assert [(r.label, r.opened, r.resolved, r.backlog) for r in admin_rows] == [
        ("Wang", 3, 2, 1),  # A, F, D (English names: the test runs in English)
        ("赵工", 1, 1, 0),  # B, reassigned to him
        ("(none)", 0, 0, 1),  # E, not yet assigned
    ]


def test_grouped_per_channel_priority_department_and_site(known):
    channels = {
        r.key: r.opened
        for r in selectors.measures(user=known.lead, period=MARCH, by="channel", now=NOW)
    }
    assert channels == {"portal": 3, "phone": 1, "email": 0}
    priorities = {
        r.key: (r.opened, r.resolved)
        for r in selectors.measures(user=known.lead, period=MARCH, by="priority", now=NOW)
    }
    assert priorities == {1: (1, 1), 5: (3, 2)}
    sites = selectors.measures(user=known.lead, period=MARCH, by="site", now=NOW)
    assert [(r.key, r.opened, r.backlog) for r in sites] == [
        (known.requester.site_id, 4, 2)
    ]
    departments = selectors.measures(user=known.lead, period=MARCH, by="department", now=NOW)
    assert [(r.key, r.resolved) for r in departments] == [(known.requester.department_id, 3)]


def test_filters_narrow_the_population(known):
    phone = _total(known, channel="phone")
    assert (phone.opened, phone.resolved, phone.backlog) == (1, 1, 0)
    p1 = _total(known, priority=1)
    assert (p1.opened, p1.closed, p1.mttr_wall) == (1, 1, Stats(1, 14400, 14400))
    network = _total(known, team=known.network.pk)
    assert (network.opened, network.resolved) == (1, 1)


def test_monthly_trend(known):
    points = selectors.trend(user=known.lead, period=Period(dt.date(2026, 2, 1), APRIL.end))
    assert [(p.month, p.opened, p.resolved, p.backlog_change) for p in points] == [
        ("2026-02", 0, 0, 0),
        ("2026-03", 4, 3, 1),
        ("2026-04", 2, 1, 1),
    ]
    assert points[1].mttr_wall == Stats(3, 83800, 234000)


def test_requesters_get_no_figures(known):
    assert selectors.measures(user=known.requester, period=MARCH, now=NOW) == []
    assert selectors.trend(user=known.requester, period=MARCH) == []


def test_months_and_periods_follow_the_local_time_zone(clock, requester):
    # 00:30 on 1 April in Shanghai is still 31 March in UTC.
    clock.set(at(2026, 4, 1, 0, 30))
    factories.incident(requester=requester)
    manager = factories.person(roles=(Role.ADMINISTRATOR,))
    points = selectors.trend(user=manager, period=Period(dt.date(2026, 3, 1), APRIL.end))
    assert [(p.month, p.opened) for p in points] == [("2026-03", 0), ("2026-04", 1)]
    assert _opened(manager, MARCH) == 0
    assert _opened(manager, APRIL) == 1


def _opened(user, period):
    return selectors.measures(user=user, period=period)[0].opened


def test_query_count_does_not_grow_with_the_data(known, django_assert_max_num_queries):
    # Per population, not per row: roles 1, volumes 3, backlog 1, open at end 1, durations 5
    # (two columns, acknowledgements, two clock look-ups), compliance 1, labels 1.
    with django_assert_max_num_queries(13):
        selectors.measures(user=known.lead, period=MARCH, by="site", now=NOW)
