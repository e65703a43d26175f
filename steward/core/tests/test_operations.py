"""Operations endpoints and structured logs."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from steward.core.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz(client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_migrations_and_queue(client: Client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "queue": "ok"},
    }


def test_metrics_expose_latency_queue_and_backlog(client: Client):
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    assert (
        'steward_http_request_duration_seconds_bucket{le="0.005",method="GET",route="healthz"'
        in body
    )
    assert "steward_queue_depth " in body
    assert "steward_job_failures_total" in body or "steward_job_failures" in body


def test_request_id_is_returned_and_kept(client: Client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


def test_json_log_lines_carry_extra_fields():
    record = logging.LogRecord(
        "steward.request", logging.INFO, __file__, 1, "GET %s %s", ("/healthz", 200), None
    )
    record.request_id = "r1"
    record.duration_ms = 1.5
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /healthz 200"
    assert line["level"] == "INFO"
    assert line["request_id"] == "r1"
    assert line["duration_ms"] == 1.5
    assert line["time"].endswith("+00:00")


def test_chinese_text_stays_readable_in_json_logs():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "门店 %s 无法连接", ("S0001",), None
    )
    assert "门店 S0001 无法连接" in JsonFormatter().format(record)
