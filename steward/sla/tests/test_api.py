"""SLA API: calendars, due-time look-up, official years, iCalendar import, clocks, reports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from steward.identity.models import Role
from steward.sla import services
from steward.sla.models import CalendarException
from steward.sla.tests.conftest import at
from steward.testing import factories

pytestmark = pytest.mark.django_db

ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Retail//Store days//ZH\r
BEGIN:VEVENT\r
UID:anniv-2026@retail.example.cn\r
DTSTART;VALUE=DATE:20260618\r
DTEND;VALUE=DATE:20260620\r
SUMMARY:\xe5\x85\xac\xe5\x8f\xb8\xe5\x91\xa8\xe5\xb9\xb4\xe5\xba\x86\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:meeting@retail.example.cn\r
DTSTART:20260622T020000Z\r
DTEND:20260622T030000Z\r
SUMMARY:Not a holiday\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture
def admin(client):
    person = factories.person(roles=(Role.ADMINISTRATOR,))
    client.force_login(person)
    return person


def test_create_calendar_and_compute_due_time_on_china_2026(client, admin):
    response = client.post(
        "/api/v1/sla/calendars",
        {
            "code": "CN",
            "name": "中国大陆",
            "kind": "china",
            "weekly": {str(d): [[540, 720], [780, 1080]] for d in range(5)},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    due = client.post(
        "/api/v1/sla/calendars/CN/due",
        {"start": "2026-02-13T16:00:00+08:00", "minutes": 480},
        content_type="application/json",
    )
    assert due.status_code == 422
    assert due.json()["field"] == "start"
    assert "2026" in due.json()["detail"]
    loaded = client.post(
        "/api/v1/sla/calendars/CN/official-years", {"year": 2026}, content_type="application/json"
    )
    assert loaded.json()["years"] == [2026]
    due = client.post(
        "/api/v1/sla/calendars/CN/due",
        {"start": "2026-02-13T16:00:00+08:00", "minutes": 480},
        content_type="application/json",
    )
    assert due.status_code == 200
    assert dt.datetime.fromisoformat(due.json()["due"]) == at(2026, 2, 14, 16, 0)
    days = client.get("/api/v1/sla/calendars/CN/exceptions?year=2026").json()
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-02-14"]["kind"] == "working"
    assert by_date["2026-02-17"]["kind"] == "holiday"
    assert by_date["2026-02-17"]["source"] == "official"
    assert by_date["2026-02-17"]["source_version"]


def test_year_the_package_does_not_know_is_refused(client, admin, china):
    response = client.post(
        "/api/v1/sla/calendars/CN/official-years", {"year": 2099}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "year"
    confirmed = client.post(
        "/api/v1/sla/calendars/CN/confirmed-years", {"year": 2099}, content_type="application/json"
    )
    assert 2099 in confirmed.json()["years"]


def test_overlapping_windows_are_a_field_error(client, admin):
    response = client.post(
        "/api/v1/sla/calendars",
        {
            "code": "BAD",
            "name": "x",
            "weekly": {"0": [[540, 720], [700, 800]]},
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "weekly"
    assert client.get("/api/v1/sla/calendars/BAD").status_code == 404


def test_ics_import_makes_holidays_of_all_day_events_only(client, admin, china):
    response = client.post(
        "/api/v1/sla/calendars/CN/ics",
        {"file": SimpleUploadedFile("store.ics", ICS, "text/calendar")},
    )
    assert response.status_code == 200, response.json()
    assert [(d["date"], d["name"], d["source"]) for d in response.json()] == [
        ("2026-06-18", "公司周年庆", "ics"),
        ("2026-06-19", "公司周年庆", "ics"),
    ]
    assert not CalendarException.objects.filter(date=dt.date(2026, 6, 22)).exists()
    bad = client.post(
        "/api/v1/sla/calendars/CN/ics",
        {"file": SimpleUploadedFile("x.ics", b"hello", "text/calendar")},
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "file"


def test_requester_cannot_see_calendars_or_change_them(client, china):
    client.force_login(factories.person())
    assert client.get("/api/v1/sla/calendars").json() == []
    assert client.get("/api/v1/sla/calendars/CN").status_code == 404


def test_record_clocks_follow_record_visibility(client, agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=3, at=at(2026, 3, 2, 9, 0)
    )
    client.force_login(record.requester)
    clocks = client.get(f"/api/v1/sla/records/{record.number}/clocks").json()
    assert [(c["kind"], c["target_minutes"], c["state"]) for c in clocks] == [
        ("first_response", 240, "running"),
        ("resolution", 960, "running"),
    ]
    client.force_login(factories.person())
    assert client.get(f"/api/v1/sla/records/{record.number}/clocks").status_code == 404


def test_compliance_report_and_exports(client, agreement, record):
    services.clocks_attach(
        record=record, service=agreement.service, state="new", priority=1, at=at(2026, 3, 2, 9, 0)
    )
    services.clocks_on_state_change(record=record, state="in_progress", at=at(2026, 3, 2, 9, 10))
    services.clocks_on_state_change(record=record, state="resolved", at=at(2026, 3, 2, 15, 0))
    client.force_login(factories.person(roles=(Role.AUDITOR,)))
    rows = client.get(
        "/api/v1/sla/reports/compliance", {"start": "2026-03-01", "end": "2026-04-01"}
    ).json()
    assert [(r["key"]["metric"], r["met"], r["breached"], r["compliance"]) for r in rows] == [
        ("first_response", 1, 0, "100.00"),
        ("resolution", 0, 1, "0.00"),
    ]
    csv_body = client.get(
        "/api/v1/sla/reports/compliance.csv", {"start": "2026-03-01", "end": "2026-04-01"}
    ).content.decode("utf-8-sig")
    assert csv_body.splitlines()[0] == (
        "agreement,metric,met,breached,total,compliance_pct,mean_minutes,p90_minutes"
    )
    assert csv_body.splitlines()[2] == "SLA-POS,resolution,0,1,1,0.0,300.0,300.0"
    xlsx = client.get(
        "/api/v1/sla/reports/compliance.xlsx", {"start": "2026-03-01", "end": "2026-04-01"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[3]] == ["SLA-POS", "resolution", 0, 1, 1, 0.0, 300.0, 300.0]


def test_agreement_defined_through_the_api(client, china):
    owner = factories.person(roles=(Role.SERVICE_OWNER,))
    factories.service(code="MAIL", owner=owner)
    client.force_login(owner)
    created = client.post(
        "/api/v1/sla/agreements",
        {
            "code": "SLA-MAIL",
            "name": "邮件服务级别协议",
            "service": "MAIL",
            "valid_from": "2026-01-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "draft"
    premature = client.post("/api/v1/sla/agreements/SLA-MAIL/activate")
    assert (premature.status_code, premature.json()["field"]) == (422, "metrics")
    metric = client.put(
        "/api/v1/sla/agreements/SLA-MAIL/metrics/resolution",
        {
            "calendar": "CN",
            "targets": {"1": 240, "3": 960},
            "start_states": ["new"],
            "stop_states": ["resolved"],
            "pause_states": ["on_hold"],
        },
        content_type="application/json",
    )
    assert metric.json()["metrics"][0]["targets"] == {"1": 240, "3": 960}
    active = client.post("/api/v1/sla/agreements/SLA-MAIL/activate").json()
    assert (active["status"], active["version"]) == ("active", 2)
    other = factories.person(roles=(Role.SERVICE_OWNER,))
    client.force_login(other)
    denied = client.post("/api/v1/sla/agreements/SLA-MAIL/retire")
    assert denied.status_code == 403
    client.force_login(owner)
    assert client.get("/api/v1/sla/agreements/SLA-MAIL").json()["status"] == "active"


def test_pause_state_that_also_stops_is_refused(client, admin, china):
    factories.service(code="MAIL")
    client.post(
        "/api/v1/sla/agreements",
        {"code": "S", "name": "s", "service": "MAIL", "valid_from": "2026-01-01"},
        content_type="application/json",
    )
    response = client.put(
        "/api/v1/sla/agreements/S/metrics/resolution",
        {
            "calendar": "CN",
            "targets": {"1": 240},
            "start_states": ["new"],
            "stop_states": ["resolved"],
            "pause_states": ["resolved"],
        },
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (422, "pause_states")


def test_hours_of_service(client, china):
    owner = factories.person(roles=(Role.SERVICE_OWNER,))
    factories.service(code="POS", owner=owner)
    client.force_login(owner)
    assert client.get("/api/v1/sla/service-hours/POS").status_code == 404
    response = client.put(
        "/api/v1/sla/service-hours/POS", {"calendar": "24X7"}, content_type="application/json"
    )
    assert response.json() == {"service": "POS", "calendar": "24X7"}
    assert client.get("/api/v1/sla/service-hours/POS").json()["calendar"] == "24X7"
    client.force_login(factories.person(roles=(Role.SERVICE_OWNER,)))
    denied = client.put(
        "/api/v1/sla/service-hours/POS", {"calendar": "CN"}, content_type="application/json"
    )
    assert denied.status_code == 403
