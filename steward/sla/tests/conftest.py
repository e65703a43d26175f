"""Fixtures for the SLA engine: a China calendar, a service with an agreement, a record."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from steward.sla import services
from steward.sla.models import CalendarKind
from steward.testing import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = {d: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] for d in range(5)}


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock time in Shanghai."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def china(db):
    calendar = services.calendar_create(
        actor=None, code="CN", name="中国大陆工作日", kind=CalendarKind.CHINA, weekly=OFFICE
    )
    services.calendar_load_china_year(actor=None, calendar=calendar, year=2026)
    calendar.refresh_from_db()
    return calendar


@pytest.fixture
def agreement(china):
    service = factories.service(code="POS", name="门店收银")
    agreement = services.agreement_create(
        actor=None,
        code="SLA-POS",
        name="门店收银服务级别协议",
        service=service,
        valid_from=dt.date(2026, 1, 1),
    )
    services.metric_set(
        actor=None,
        agreement=agreement,
        kind="first_response",
        calendar=china,
        targets={"1": 30, "2": 60, "3": 240},
        start_states=["new"],
        stop_states=["in_progress", "resolved"],
        cancel_states=["cancelled"],
    )
    services.metric_set(
        actor=None,
        agreement=agreement,
        kind="resolution",
        calendar=china,
        targets={"1": 240, "2": 480, "3": 960},
        start_states=["new"],
        pause_states=["on_hold"],
        stop_states=["resolved"],
        cancel_states=["cancelled"],
    )
    services.agreement_activate(actor=None, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def record(agreement):
    requester = factories.person()
    return factories.memo(requester=requester, title="收银机无法开机")
