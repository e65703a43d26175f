"""The reports API: figures as JSON, exports that parse back, input errors, permissions."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-04-01"}


def test_grouped_figures_as_json(client, known):
    client.force_login(known.lead)
    response = client.get("/api/v1/reports/incidents", {**MARCH, "by": "team"})
    assert response.status_code == 200
    body = {row["label"]: row for row in response.json()}
    assert sorted(body) == ["DESK 服务台", "NET 网络组"]
    desk = body["DESK 服务台"]
    assert (desk["opened"], desk["resolved"], desk["backlog"]) == (3, 2, 2)
    assert desk["mttr_wall"] == {"count": 2, "mean_seconds": 8700, "p90_seconds": 14400}
    assert desk["sla_response"] == {"met": 2, "breached": 1, "compliance": "66.67"}  # A late
    # Both resolutions invited a survey (the satisfaction app is wired); nobody rated yet.
    assert desk["csat"] == {"average": None, "satisfied_pct": None, "ratings": 0,
                            "response_rate": "0.0"}


def test_filters_by_code_and_trend(client, known):
    client.force_login(known.lead)
    rows = client.get("/api/v1/reports/incidents", {**MARCH, "channel": "phone"}).json()
    assert [(r["opened"], r["resolved"]) for r in rows] == [(1, 1)]
    rows = client.get("/api/v1/reports/incidents", {**MARCH, "team": "NET"}).json()
    assert [(r["opened"], r["resolved"]) for r in rows] == [(1, 1)]
    trend = client.get("/api/v1/reports/incidents/trend", MARCH).json()
    assert [(p["month"], p["opened"], p["resolved"], p["backlog_change"]) for p in trend] == [
        ("2026-03", 4, 3, 1)
    ]


def test_csv_export_parses_back(client, known):
    client.force_login(known.lead)
    response = client.get("/api/v1/reports/incidents.csv", {**MARCH, "by": "channel"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_key = {row["key"]: row for row in rows}
    assert set(by_key) == {"portal", "phone", "email"}
    assert (by_key["phone"]["group"], by_key["phone"]["opened"]) == ("电话", "1")
    assert by_key["phone"]["mttr_wall_mean_min"] == "3900.0"  # 234 000 s
    assert by_key["phone"]["mttr_business_mean_min"] == "120.0"
    assert by_key["phone"]["csat_average"] == ""


def test_xlsx_export_parses_back(client, known):
    client.force_login(known.lead)
    response = client.get("/api/v1/reports/incidents.xlsx", MARCH)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Incidents", "Trend"]
    sheet = workbook["Incidents"]
    header = [c.value for c in sheet[1]]
    total = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (total["opened"], total["resolved"], total["closed"]) == (4, 3, 1)
    assert (total["fcr_pct"], total["sla_response_pct"]) == (33.33, 75.0)
    assert [c.value for c in workbook["Trend"][2]] == ["2026-03", 4, 3, 1, 1396.7, 3900.0]


def test_bad_input_is_a_field_error(client, known):
    client.force_login(known.lead)
    cases = [
        ({"by": "colour"}, "by"),
        ({"team": "NOPE"}, "team"),
        ({"priority": 9}, "priority"),
        ({"start": "2026-04-01", "end": "2026-03-01"}, "start"),
    ]
    for query, field in cases:
        response = client.get("/api/v1/reports/incidents", query)
        assert (response.status_code, response.json()["field"]) == (422, field)
    assert client.get("/api/v1/reports/incidents.pdf", MARCH).status_code == 422


def test_scorecard_permissions(client, known):
    client.force_login(known.agent)
    own = client.get(f"/api/v1/reports/scorecards/{known.agent.username}", MARCH)
    assert own.status_code == 200
    assert (own.json()["figures"]["resolved"], own.json()["username"]) == (
        2, known.agent.username
    )
    other = client.get(f"/api/v1/reports/scorecards/{known.network_agent.username}", MARCH)
    assert (other.status_code, other.json()["code"]) == (403, "not_permitted")
    assert client.get("/api/v1/reports/scorecards/nobody", MARCH).status_code == 404


def test_requesters_are_refused(client, known):
    client.force_login(known.requester)
    for url in ("/api/v1/reports/incidents", "/api/v1/reports/incidents.csv",
                "/api/v1/reports/definitions"):
        response = client.get(url, MARCH)
        assert (response.status_code, response.json()["code"]) == (403, "not_permitted")


def test_definitions_are_listed(client, known):
    client.force_login(known.agent)
    body = client.get("/api/v1/reports/definitions").json()
    assert {"frt", "mtta", "mttr", "fcr", "reopen", "reassign", "sla", "backlog"} <= set(body)
    assert body["mttr"] == zh(
        "Mean time to resolve: resolved − opened time, over incidents resolved in the period."
    )
