"""Compliance figures: counts, percentages, mean and p90, missed months, workload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.identity.models import Role
from steward.sla import reporting, services
from steward.sla.tests.conftest import at
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _resolve(agreement, requester, n: int, minutes: int, day: int = 2) -> None:
    record = factories.memo(requester=requester, number=f"MEM-7{n:05d}")
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, day, 9, 0)
    )
    services.clocks_on_state_change(
        record=record, state="resolved", at=at(2026, 3, day, 9, 0) + dt.timedelta(minutes=minutes)
    )


def test_mean_p90_and_missed_month(agreement):
    requester = factories.person()
    for n, minutes in enumerate([60, 120, 180, 240, 300, 360, 420, 480, 500, 510]):
        _resolve(agreement, requester, n, minutes)  # resolution target 960 min: all met
    auditor = factories.person(roles=(Role.AUDITOR,))
    rows = reporting.compliance(
        user=auditor, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1), by=("metric",)
    )
    resolution = next(r for r in rows if r.key["metric"] == "resolution")
    # Elapsed business minutes: lunch 12:00-13:00 is not counted for resolutions after noon.
    assert resolution.met == 10
    assert resolution.compliance == Decimal("100.00")
    assert resolution.p90_minutes == Decimal("440.0")  # 9th of 10: 500 wall minutes − lunch
    first = next(r for r in rows if r.key["metric"] == "first_response")
    assert (first.met, first.breached) == (5, 5)  # target 240 business minutes
    missed = reporting.missed_months(
        user=auditor, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1)
    )
    assert [(m.metric, m.month, m.compliance, m.action) for m in missed] == [
        ("first_response", "2026-03", Decimal("50.00"), None)
    ]
    action = services.improvement_action_create(
        actor=None,
        agreement=agreement,
        metric="first_response",
        period="2026-03",
        description="增加早班服务台人手",
        owner=auditor,
        due_date=dt.date(2026, 4, 30),
    )
    missed = reporting.missed_months(
        user=auditor, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1)
    )
    assert missed[0].action == action


def test_workload_against_monthly_limit(agreement):
    agreement.monthly_limit = 2
    agreement.save(update_fields=["monthly_limit"])
    requester = factories.person()
    for n in range(3):
        _resolve(agreement, requester, n, 30)
    rows = reporting.workload(
        user=factories.person(roles=(Role.ADMINISTRATOR,)),
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 4, 1),
    )
    assert rows == [
        {"agreement": "SLA-POS", "month": "2026-03", "records": 3, "limit": 2, "over": True}
    ]


def test_requesters_get_no_report_rows(agreement):
    requester = factories.person()
    _resolve(agreement, requester, 1, 30)
    assert (
        reporting.compliance(user=requester, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1))
        == []
    )


def test_approved_exceptions_leave_clocks_out_of_the_results(agreement):
    from steward.sla.models import SlaClock

    requester = factories.person()
    # 60 wall hours from 09:00 are 24 business hours: both metrics breach.
    _resolve(agreement, requester, 1, 60 * 60)  # stops Wednesday 2026-03-04 21:00
    _resolve(agreement, requester, 2, 60 * 60, day=3)  # stops Thursday 2026-03-05 21:00
    _resolve(agreement, requester, 3, 60 * 60, day=9)  # stops Wednesday 2026-03-11 21:00
    auditor = factories.person(roles=(Role.AUDITOR,))
    owner = agreement.service.owner

    services.sla_exception_create(
        actor=owner,
        agreement=agreement,
        kind="record",
        reason="门店停电，非 IT 原因",
        record_number="MEM-700001",
    )
    # Force majeure over the whole day the second record stopped.
    services.sla_exception_create(
        actor=owner,
        agreement=agreement,
        kind="force_majeure",
        reason="台风停工",
        starts_at=at(2026, 3, 5, 0, 0),
        ends_at=at(2026, 3, 6, 0, 0),
    )

    excluded = set(SlaClock.objects.filter(excluded=True).values_list("record_number", "kind"))
    assert excluded == {
        ("MEM-700001", "first_response"),
        ("MEM-700001", "resolution"),
        ("MEM-700002", "first_response"),
        ("MEM-700002", "resolution"),
    }
    rows = reporting.compliance(
        user=auditor, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1), by=("metric",)
    )
    assert [(r.key["metric"], r.met, r.breached) for r in rows] == [
        ("first_response", 0, 1),
        ("resolution", 0, 1),
    ]
