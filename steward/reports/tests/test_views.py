"""Console report pages: the figures on the page, grouping, the scorecard rule, zh-Hans."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.console.tests.html_checks import unlabelled_controls
from steward.testing.i18n import zh

pytestmark = pytest.mark.django_db

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_desk_report_page_with_figures_and_exports(client, known):
    client.force_login(known.lead)
    response = client.get(reverse("console:reports"), {**MARCH, "by": "total"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="def-mttr"' in page
    assert 'class="line-chart"' in page
    assert unlabelled_controls(page) == []
    assert "/api/v1/reports/incidents.csv?start=2026-03-01&amp;end=2026-04-01&amp;by=total" in page
    assert response.context["total"].opened == 4
    assert [p.month for p in response.context["trend"]] == ["2026-03"]


def test_site_table_and_engineer_links(client, known, admin):
    client.force_login(admin)
    sites = client.get(reverse("console:reports"), {**MARCH, "by": "site"})
    assert [(r.key, r.opened) for r in sites.context["rows"]] == [(known.requester.site_id, 4)]
    engineers = client.get(reverse("console:reports"), {**MARCH, "by": "engineer"})
    page = engineers.content.decode()
    assert reverse("console:scorecard", args=[known.network_agent.username]) in page


def test_bad_period_is_a_form_error(client, known):
    client.force_login(known.lead)
    response = client.get(reverse("console:reports"), {"start": "2026-04-01", "end": "2026-03-01",
                                                      "by": "team"})
    assert response.status_code == 422
    assert "has_figures" not in response.context


def test_scorecard_pages_follow_the_rule(client, known):
    client.force_login(known.agent)
    own = client.get(reverse("console:scorecard", args=[known.agent.username]), MARCH)
    assert own.status_code == 200
    assert own.context["total"].resolved == 2
    other = client.get(reverse("console:scorecard", args=[known.network_agent.username]), MARCH)
    assert other.status_code == 403
    listing = client.get(reverse("console:report_engineers"))
    assert [p.pk for p in listing.context["people"]] == [known.agent.pk]


def test_requesters_are_sent_to_the_portal(client, known):
    client.force_login(known.requester)
    response = client.get(reverse("console:reports"))
    assert response.status_code == 302


def test_report_renders_in_chinese(client, known):
    client.force_login(known.lead)
    response = client.get(reverse("console:reports"), {**MARCH, "by": "team"},
                          HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'id="report-table"' in response.content.decode()
    assert [r.label for r in response.context["rows"]] == ["DESK 服务台", "NET 网络组"]


def test_quick_periods_keep_the_grouping(client, known):
    client.force_login(known.lead)
    response = client.get(reverse("console:reports"), {**MARCH, "by": "site"})
    presets = dict(response.context["presets"])
    assert presets[zh("Last month")] == "start=2026-03-01&end=2026-03-31&by=site"  # today: 10 April
    assert presets[zh("This year")] == "start=2026-01-01&end=2026-04-10&by=site"


def test_desk_report_breaks_volumes_down_by_channel_and_priority(client, known):
    client.force_login(known.lead)
    response = client.get(reverse("console:reports"), {**MARCH, "by": "total"})
    (_c, channels), (_p, priorities) = response.context["breakdowns"]
    assert {r.key: (r.opened, r.resolved, r.closed, r.backlog) for r in channels} == {
        "portal": (3, 2, 1, 1), "phone": (1, 1, 0, 0), "email": (0, 0, 0, 1)
    }
    assert [(r.key, r.opened) for r in priorities] == [(1, 1), (5, 3)]
