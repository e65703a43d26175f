"""The CSAT slot: empty without a provider; a provider's figures reach rows, API and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from steward.reports import csat, selectors
from steward.reports.figures import CsatFigures
from steward.reports.query import Period
from steward.reports.tests.conftest import NOW

pytestmark = pytest.mark.django_db

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 1))


def _desk_only(*, user, period, filters, by):
    """What the satisfaction app's selector returns: figures per team id."""
    assert (period, by) == (MARCH, "team")
    desk = user.teams.get()
    return {desk.pk: CsatFigures(Decimal("4.50"), Decimal("87.50"), 8, Decimal("40.00"))}


def test_without_a_provider_no_figure_is_shown(known, monkeypatch):
    monkeypatch.setattr(csat, "PROVIDER", None)
    assert not csat.connected()
    rows = selectors.measures(user=known.lead, period=MARCH, by="team", now=NOW)
    assert [r.csat for r in rows] == [None, None]


def test_a_wired_provider_fills_the_rows_and_the_export(known, client, monkeypatch):
    monkeypatch.setattr(csat, "PROVIDER", _desk_only)
    rows = {r.key: r for r in selectors.measures(user=known.lead, period=MARCH, by="team",
                                                 now=NOW)}
    assert rows[known.desk.pk].csat == CsatFigures(
        Decimal("4.50"), Decimal("87.50"), 8, Decimal("40.00")
    )
    assert rows[known.network.pk].csat is None
    client.force_login(known.lead)
    body = client.get("/api/v1/reports/incidents.csv",
                      {"start": "2026-03-01", "end": "2026-04-01", "by": "team"})
    exported = {r["key"]: r for r in csv.DictReader(io.StringIO(body.content.decode("utf-8-sig")))}
    desk = exported[str(known.desk.pk)]
    assert (desk["csat_average"], desk["csat_satisfied_pct"], desk["csat_ratings"]) == (
        "4.5", "87.5", "8"
    )
    assert exported[str(known.network.pk)]["csat_average"] == ""
