"""Console incident pages: queues with keyset paging, the incident page, its actions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.console.tests.html_checks import unlabelled_controls
from steward.incidents import services
from steward.incidents.models import Incident
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    admin,
    agent,
    agreement,
    auditor,
    clock,
    desk,
    incident_in,
    lead,
    network,
    network_agent,
    raise_incident,
    requester,
    service,
    state_of,
)
from steward.sla import services as sla
from steward.sla.models import SlaMilestone
from steward.sla.tests.conftest import china  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _act(client: Client, incident: Incident, action: str, data: dict[str, Any] | None = None,
         **headers: Any) -> Any:
    url = reverse("console:incident_act", args=[incident.number, action])
    return client.post(url, data or {}, **headers)


def test_the_my_teams_queue_lists_the_teams_incidents_with_labelled_filters(agent, raise_incident):
    incident = raise_incident(title="收银机黑屏")

    response = _client(agent).get(reverse("console:incidents"), {"queue": "my_teams"})

    html = response.content.decode()
    assert response.status_code == 200
    assert incident.number in html
    assert "收银机黑屏" in html
    assert unlabelled_controls(html) == []
    assert "<html" in html


def test_a_filter_change_by_htmx_returns_only_the_results(agent, raise_incident):
    raise_incident(title="收银机黑屏")
    wanted = raise_incident(title="扫码枪失灵")

    response = _client(agent).get(
        reverse("console:incidents"), {"queue": "my_teams", "q": "扫码"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert wanted.number in html
    assert "收银机黑屏" not in html


def test_the_queue_pages_by_keyset_with_a_capped_number_of_queries(
    agent, raise_incident, django_assert_max_num_queries
):
    made = [raise_incident(title=f"故障 {n}") for n in range(30)]
    client = _client(agent)
    client.get(reverse("console:incidents"), {"queue": "my_teams"})  # warm caches

    with django_assert_max_num_queries(12):
        first = client.get(reverse("console:incidents"), {"queue": "my_teams"})
    oldest_shown = made[-25]
    with django_assert_max_num_queries(12):
        more = client.get(
            reverse("console:incidents"),
            {"queue": "my_teams", "after": oldest_shown.pk}, **HTMX,
        )

    first_html, more_html = first.content.decode(), more.content.decode()
    assert made[-1].number in first_html
    assert oldest_shown.number in first_html
    assert made[4].number not in first_html
    assert f"after={oldest_shown.pk}" in first_html
    assert "<table" not in more_html
    assert [m.number in more_html for m in made[:5]] == [True] * 5
    assert oldest_shown.number not in more_html
    assert 'id="load-more"' not in more_html


def test_the_unassigned_queue_leaves_out_assigned_incidents(agent, raise_incident):
    open_one = raise_incident(title="无人处理")
    taken = services.incident_start(actor=agent, incident=raise_incident(title="已接手"))

    response = _client(agent).get(reverse("console:incidents"), {"queue": "unassigned"})

    html = response.content.decode()
    assert open_one.number in html
    assert taken.number not in html


def test_the_incident_page_shows_the_header_clocks_and_only_the_allowed_actions(
    agent, raise_incident, requester
):
    incident = raise_incident()

    response = _client(agent).get(reverse("console:incident", args=[incident.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "门店运营部" in html  # the requester's department
    assert "上海徐汇店" in html  # and site
    assert "门店收银" in html  # the service
    assert " left" in html or "剩余" in html  # remaining SLA time
    for action in ("assign", "start", "resolve", "cancel"):
        assert f'id="{action}-form"' in html
    for action in ("hold", "resume", "reopen", "close"):
        assert f'id="{action}-form"' not in html
    assert unlabelled_controls(html) == []


def test_a_generic_record_link_to_an_incident_goes_to_the_incident_page(agent, raise_incident):
    incident = raise_incident()

    response = _client(agent).get(reverse("console:record", args=[incident.number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("console:incident", args=[incident.number])


def test_an_agent_of_another_team_gets_404_for_the_incident_and_its_actions(
    network_agent, raise_incident
):
    incident = raise_incident()
    before = state_of(incident)

    page = _client(network_agent).get(reverse("console:incident", args=[incident.number]))
    act = _act(_client(network_agent), incident, "start")

    assert page.status_code == 404
    assert act.status_code == 404
    assert state_of(incident) == before


def test_an_auditor_sees_the_incident_without_any_action_and_cannot_act(auditor, raise_incident):
    incident = raise_incident()
    before = state_of(incident)

    page = _client(auditor).get(reverse("console:incident", args=[incident.number]))
    refused = _act(_client(auditor), incident, "start")

    assert '-form"' not in page.content.decode()
    assert refused.status_code == 403
    assert state_of(incident) == before


def test_start_by_htmx_returns_the_refreshed_incident_body(agent, raise_incident):
    incident = raise_incident()

    response = _act(_client(agent), incident, "start", **HTMX)

    html = response.content.decode()
    incident.refresh_from_db()
    assert response.status_code == 200
    assert incident.status == "in_progress"
    assert html.startswith('<div id="incident"')
    assert 'id="hold-form"' in html
    assert 'id="start-form"' not in html


def test_a_plain_post_redirects_to_the_incident_page(agent, raise_incident):
    incident = raise_incident()

    response = _act(_client(agent), incident, "start")

    assert response.status_code == 302
    assert response["Location"] == reverse("console:incident", args=[incident.number])


def test_resolve_without_a_note_is_a_422_form_error_and_nothing_changes(agent, incident_in):
    incident = incident_in("in_progress")
    before = state_of(incident)

    response = _act(_client(agent), incident, "resolve",
                    {"resolve-resolution_code": "solution_provided"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#resolve-form"
    assert html.startswith('<details id="resolve-form"')
    assert 'id="id_resolve-resolution_note_error"' in html
    assert state_of(incident) == before


def test_resolve_with_code_and_note_resolves(agent, incident_in):
    incident = incident_in("in_progress")

    response = _act(_client(agent), incident, "resolve", {
        "resolve-resolution_code": "workaround_provided",
        "resolve-resolution_note": "换了备用收银机。",
    })

    incident.refresh_from_db()
    assert response.status_code == 302
    assert (incident.status, incident.resolution_code) == ("resolved", "workaround_provided")


def test_an_action_the_transition_table_refuses_is_a_422_with_the_reason(agent, incident_in):
    incident = incident_in("resolved")
    before = state_of(incident)

    response = _act(_client(agent), incident, "hold", {"hold-reason": "awaiting_vendor"})

    assert response.status_code == 422
    assert 'class="form-errors"' in response.content.decode()
    assert state_of(incident) == before


def test_an_unknown_action_is_404(agent, raise_incident):
    assert _act(_client(agent), raise_incident(), "explode").status_code == 404


def test_hold_with_a_reason_then_resume(agent, incident_in):
    incident = incident_in("in_progress")
    client = _client(agent)

    _act(client, incident, "hold", {"hold-reason": "awaiting_requester", "hold-note": "等店长回电"})
    incident.refresh_from_db()
    held = (incident.status, incident.hold_reason)
    _act(client, incident, "resume")
    incident.refresh_from_db()

    assert held == ("on_hold", "awaiting_requester")
    assert incident.status == "in_progress"


def test_assign_to_an_agent_of_the_team(agent, desk, raise_incident):
    incident = raise_incident()

    _act(_client(agent), incident, "assign", {"assign-team": desk.pk, "assign-assignee": agent.pk})

    incident.refresh_from_db()
    assert (incident.status, incident.assignee_id) == ("assigned", agent.pk)


def test_a_priority_change_without_a_reason_is_refused(agent, raise_incident):
    incident = raise_incident()
    before = state_of(incident)

    response = _act(_client(agent), incident, "priority",
                    {"priority-impact": "1", "priority-urgency": "1", "priority-reason": ""})

    assert response.status_code == 422
    assert 'id="id_priority-reason_error"' in response.content.decode()
    assert state_of(incident) == before


def test_a_priority_change_with_a_reason_applies_the_matrix(agent, raise_incident):
    incident = raise_incident()

    _act(_client(agent), incident, "priority",
         {"priority-impact": "1", "priority-urgency": "1", "priority-reason": "全店收银停摆"})

    incident.refresh_from_db()
    assert (incident.impact, incident.urgency, incident.priority) == (1, 1, 1)


def test_an_internal_note_appears_in_the_timeline_as_a_work_note(agent, raise_incident):
    incident = raise_incident()

    response = _act(_client(agent), incident, "comment",
                    {"comment-body": "已联系厂商", "comment-public": "internal"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "已联系厂商" in html
    assert "work-note" in html
    assert incident.comments.get().visibility == "internal"


def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_the_typed_text(
    agent, lead, raise_incident
):
    incident = raise_incident(title="收银机无法开机")
    read_version = incident.version
    _act(_client(lead), incident, "edit", {
        "edit-version": read_version, "edit-title": "收银机无法开机（3号机）",
        "edit-category": "硬件",
    })

    response = _act(_client(agent), incident, "edit", {
        "edit-version": read_version, "edit-title": "收银机蓝屏", "edit-category": "软件",
    }, **HTMX)

    html = response.content.decode()
    incident.refresh_from_db()
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#edit-form"
    assert f"{incident.number} 已被他人修改" in html
    assert 'value="收银机蓝屏"' in html  # nothing typed is lost
    assert (incident.title, incident.category) == ("收银机无法开机（3号机）", "硬件")


def test_a_requester_opening_the_console_is_sent_to_the_portal(requester, raise_incident):
    incident = raise_incident()

    response = _client(requester).get(reverse("console:incident", args=[incident.number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_the_incident_page_by_htmx_is_the_body_only(agent, raise_incident):
    incident = raise_incident()

    response = _client(agent).get(reverse("console:incident", args=[incident.number]), **HTMX)

    html = response.content.decode()
    assert html.startswith('<div id="incident"')
    assert "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_the_incident_page_has_a_capped_number_of_queries(
    agent, agent_reply_history, django_assert_max_num_queries
):
    client = _client(agent)
    url = reverse("console:incident", args=[agent_reply_history.number])
    client.get(url)  # warm caches

    # 16 for the record, its clocks, timeline and actions; 5 more for the escalation panels
    # (history, the ladder's people, the team choices) and the time section (entries,
    # activity types); 2 for the major-incident panel and the links; 1 for the ratings;
    # 1 for the services of the reclassify form (the impact hint of a CI:
    # test_incident_classify_views): a constant number, whatever the history.
    with django_assert_max_num_queries(25):
        response = client.get(url)

    assert response.status_code == 200


@pytest.fixture
def agent_reply_history(agent, incident_in):
    """An incident with some history: started, replies and notes, held and resumed."""
    incident = incident_in("in_progress")
    for n in range(5):
        services.incident_comment(actor=agent, incident=incident, body=f"回复 {n}", public=True)
        services.incident_comment(actor=agent, incident=incident, body=f"笔记 {n}", public=False)
    incident = services.incident_hold(actor=agent, incident=incident, reason="awaiting_vendor")
    return services.incident_resume(actor=agent, incident=incident)


def test_reopen_is_offered_to_the_agent_only_within_the_window(agent, incident_in, clock):
    incident = incident_in("resolved")
    client = _client(agent)
    url = reverse("console:incident", args=[incident.number])
    within = client.get(url).content.decode()
    clock.advance(days=60)

    after = _client(agent).get(url).content.decode()  # a fresh session

    assert 'id="reopen-form"' in within
    assert 'id="reopen-form"' not in after
    assert 'id="close-form"' in after


def test_an_escalation_by_the_sla_shows_the_system_as_its_actor(agent, lead, incident_in, clock):
    incident = incident_in("in_progress")
    warning = SlaMilestone.objects.get(
        clock__record_number=incident.number, clock__kind="resolution", percent=75
    )
    clock.set(warning.next_attempt_at)
    sla.milestone_fire(milestone_id=warning.pk)

    response = _client(agent).get(reverse("console:incident", args=[incident.number]))

    html = response.content.decode()
    start = html.index('id="escalations"')
    escalations = html[start:html.index("</ol>", start)]
    assert response.status_code == 200
    assert f"→ {lead} · 系统<br>" in escalations
    assert "SLA warning: Resolution at 75% of its target." in escalations
    assert re.search(
        r'<span class="timeline-actor">系统</span>\s*<span class="timeline-action">已升级', html
    )
