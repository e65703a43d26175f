"""Console pages: access, directory, organisation, records (page, timeline, attachments),
audit log. Thin wiring tests: the rules themselves are tested with the services."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity import services
from steward.identity.models import Person, Role
from steward.testing import factories
from steward.workitems.models import Attachment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }


@pytest.fixture
def admin():
    return factories.person(username="root", name="管理员", roles=(Role.ADMINISTRATOR,))


@pytest.fixture
def agent():
    return factories.person(username="agent", name="值班工程师", roles=(Role.AGENT,))


@pytest.fixture
def auditor():
    return factories.person(username="auditor", roles=(Role.AUDITOR,))


@pytest.fixture
def requester():
    return factories.person(username="clerk", name="店员")


@pytest.fixture
def desk(agent):
    return factories.team(code="DESK", name="服务台", members=(agent,))


@pytest.fixture
def memo(requester, desk):
    return factories.memo(requester=requester, team=desk, title="收银机无法开机")


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


# ---------- access ----------

@pytest.mark.parametrize("url", [
    "/console/", "/console/people/", "/console/teams/", "/console/departments/",
    "/console/sites/", "/console/search/?q=MEM", "/console/audit/",
])
def test_a_requester_is_sent_from_the_console_to_the_portal(requester, url):
    response = _client(requester).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_an_htmx_request_after_the_session_expired_reloads_the_window_to_sign_in(client):
    response = client.get("/console/people/", {"q": "x"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/console/people/?q=x")

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/console/people/%3Fq%3Dx"


def test_home_sends_staff_to_the_console_and_requesters_to_the_portal(agent, requester):
    assert _client(agent).get("/")["Location"] == reverse("console:overview")
    assert _client(requester).get("/")["Location"] == reverse("portal:home")


def test_the_overview_counts_what_the_user_can_reach(agent, desk, memo, requester):
    factories.site()
    factories.memo(requester=requester)  # not on the agent's team: invisible to them

    response = _client(agent).get("/console/")

    assert response.status_code == 200
    assert response.context["records_total"] == 1
    assert response.context["site_count"] == 1
    assert response.context["people_count"] == Person.objects.count()


def test_navigation_shows_the_audit_log_only_to_those_who_may_read_it(agent, auditor):
    agent_html = _client(agent).get("/console/").content.decode()
    auditor_html = _client(auditor).get("/console/").content.decode()

    assert reverse("console:audit") not in agent_html
    assert reverse("console:audit") in auditor_html


def test_the_console_offers_keyboard_shortcuts_and_a_search_box(agent):
    html = _client(agent).get("/console/").content.decode()

    assert 'id="console-search"' in html
    assert 'data-shortcut="g h"' in html
    assert '<dialog id="shortcut-help"' in html
    assert 'data-open-dialog="shortcut-help"' in html


@pytest.mark.parametrize("path", ["/static/steward/steward.css", "/static/steward/steward.js",
                                  "/static/django_htmx/htmx-2.min.js"])
def test_the_stylesheet_and_scripts_are_served_from_our_origin(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert len(b"".join(response.streaming_content)) > 1000


# ---------- people ----------

def test_the_people_directory_filters_by_name(agent):
    factories.person(username="wang.wei", name="王伟")
    factories.person(username="li.na", name="李娜")

    response = _client(agent).get("/console/people/", {"q": "王"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "wang.wei" in html
    assert "li.na" not in html
    assert "<html" in html


def test_an_htmx_filter_request_returns_only_the_rows_partial(agent):
    factories.person(username="wang.wei", name="王伟")

    response = _client(agent).get("/console/people/", {"q": "wang"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "console/_people_rows.html"
    assert "<html" not in html
    assert "wang.wei" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]


def test_the_people_list_has_a_query_cap(agent, django_assert_max_num_queries):
    departments = [factories.department() for _ in range(3)]
    sites = [factories.site() for _ in range(3)]
    team = factories.team()
    members = [
        factories.person(department=departments[n % 3], site=sites[n % 3]) for n in range(60)
    ]
    services.team_set_members(actor=None, team=team, members=members)
    client = _client(agent)

    with django_assert_max_num_queries(8):
        response = client.get("/console/people/")

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 50


def test_a_person_page_shows_roles_teams_department_site_and_manager(agent, desk):
    boss = factories.person(name="店长")
    person = factories.person(
        name="收银员", department=factories.department(name="华东区"),
        site=factories.site(name="上海一店"), manager=boss, roles=(Role.TEAM_LEAD,),
    )
    services.team_set_members(actor=None, team=desk, members=[agent, person])

    response = _client(agent).get(reverse("console:person", args=[person.pk]))

    html = response.content.decode()
    assert response.context["role_labels"] == [Role.TEAM_LEAD.label]
    assert [str(t) for t in response.context["teams"]] == ["服务台"]
    assert "华东区" in html
    assert "上海一店" in html
    assert f'href="{reverse("console:person", args=[boss.pk])}">店长</a>' in html


def test_a_non_administrator_sees_no_edit_forms_and_cannot_post_them(agent, requester):
    client = _client(agent)

    html = client.get(reverse("console:person", args=[requester.pk])).content.decode()
    response = client.post(reverse("console:person_edit", args=[requester.pk]),
                           {**_edit_data(requester), "name": "changed"})

    assert reverse("console:person_edit", args=[requester.pk]) not in html
    assert response.status_code == 403
    requester.refresh_from_db()
    assert requester.name == "店员"


def test_an_administrator_edits_a_person(admin, requester):
    site = factories.site(name="北京二店")
    data = {**_edit_data(requester), "name": "店员甲", "site": site.pk, "manager": "root"}

    response = _client(admin).post(reverse("console:person_edit", args=[requester.pk]), data)

    assert response.status_code == 302
    requester.refresh_from_db()
    assert (requester.name, requester.site_id, requester.manager_id) == (
        "店员甲", site.pk, admin.pk,
    )
    entry = AuditEntry.objects.filter(
        action="update", content_type__model="person", object_id=str(requester.pk)
    ).get()
    assert entry.changes["name"] == ["店员", "店员甲"]


def test_a_domain_error_comes_back_as_a_form_error_with_422(admin, requester):
    entries = AuditEntry.objects.count()
    data = {**_edit_data(requester), "time_zone": "Mars/Olympus"}

    response = _client(admin).post(reverse("console:person_edit", args=[requester.pk]), data)

    assert response.status_code == 422
    assert 'id="id_time_zone_error"' in response.content.decode()
    requester.refresh_from_db()
    assert requester.time_zone == "Asia/Shanghai"
    assert AuditEntry.objects.count() == entries


def test_an_unknown_manager_is_a_form_error(admin, requester):
    data = {**_edit_data(requester), "manager": "nobody"}

    response = _client(admin).post(reverse("console:person_edit", args=[requester.pk]), data)

    assert response.status_code == 422
    assert 'id="id_manager_error"' in response.content.decode()


def test_an_administrator_sets_roles(admin, requester):
    response = _client(admin).post(reverse("console:person_roles", args=[requester.pk]),
                                   {"roles": [Role.REQUESTER, Role.AGENT]})

    assert response.status_code == 302
    assert set(requester.role_grants.values_list("role", flat=True)) == {"requester", "agent"}


def test_an_administrator_deactivates_a_person_after_a_confirmation(admin, requester):
    client = _client(admin)
    html = client.get(reverse("console:person", args=[requester.pk])).content.decode()

    response = client.post(reverse("console:person_deactivate", args=[requester.pk]))

    assert "data-confirm=" in html
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.is_active is False


def test_deactivating_oneself_is_a_form_error(admin):
    response = _client(admin).post(reverse("console:person_deactivate", args=[admin.pk]))

    assert response.status_code == 422
    assert 'class="form-errors" role="alert"' in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active is True


def _edit_data(person: Person) -> dict[str, object]:
    return {
        "name": person.name, "name_en": "", "email": person.email, "phone": "",
        "language": person.language, "time_zone": person.time_zone, "department": "",
        "site": "", "manager": "", "wecom_userid": "", "dingtalk_userid": "",
        "feishu_userid": "", "notification_channels": ["email"],
    }


# ---------- teams, departments, sites ----------

def test_teams_list_and_detail_show_members(agent, desk):
    client = _client(agent)

    listing = client.get("/console/teams/")
    detail = client.get(reverse("console:team", args=[desk.pk]))

    assert listing.status_code == 200
    assert "服务台" in listing.content.decode()
    assert "值班工程师" in detail.content.decode()
    assert reverse("console:team_members", args=[desk.pk]) not in detail.content.decode()


def test_an_administrator_sets_team_members(admin, agent, desk):
    newcomer = factories.person(username="newcomer", roles=(Role.AGENT,))

    response = _client(admin).post(reverse("console:team_members", args=[desk.pk]),
                                   {"add": "newcomer"})

    assert response.status_code == 302
    assert set(desk.members.values_list("username", flat=True)) == {"newcomer"}
    assert newcomer.teams.filter(pk=desk.pk).exists()


def test_unknown_user_names_are_refused_and_nothing_changes(admin, agent, desk):
    response = _client(admin).post(reverse("console:team_members", args=[desk.pk]),
                                   {"keep": [agent.pk], "add": "ghost, phantom"})

    assert response.status_code == 422
    assert "ghost, phantom" in response.content.decode()
    assert list(desk.members.values_list("username", flat=True)) == ["agent"]


def test_departments_render_as_a_tree(agent):
    east = factories.department(name="华东区")
    factories.department(name="上海门店部", parent=east)

    html = _client(agent).get("/console/departments/").content.decode()

    east_at, child_at = html.index("华东区"), html.index("上海门店部")
    assert east_at < child_at
    assert "<ul>" in html[east_at:child_at]


@pytest.fixture
def three_hundred_stores():
    departments = [factories.department() for _ in range(3)]
    for n in range(300):
        factories.site(code=f"ST{n:03d}", region="华东" if n % 3 == 0 else "华南",
                       department=departments[n % 3])


def test_the_sites_list_paginates_300_stores_with_a_query_cap(
    agent, three_hundred_stores, django_assert_max_num_queries
):
    client = _client(agent)

    with django_assert_max_num_queries(7):
        response = client.get("/console/sites/", {"page": 2})

    assert response.status_code == 200
    page = response.context["page_obj"]
    assert (page.number, len(page), page.paginator.count) == (2, 50, 300)
    assert "ST050" in response.content.decode()


def test_the_sites_list_filters_by_region(agent, three_hundred_stores):
    response = _client(agent).get("/console/sites/", {"region": "华东"})

    assert response.context["page_obj"].paginator.count == 100
    assert 'href="?region=%E5%8D%8E%E4%B8%9C&amp;page=2"' in response.content.decode()


# ---------- search and the record page ----------

def test_search_finds_only_visible_records(agent, memo, requester):
    hidden = factories.memo(requester=requester, title="收银机 B")

    response = _client(agent).get("/console/search/", {"q": "收银机"})

    numbers = [row["record"].number for row in response.context["results"]]
    assert numbers == [memo.number]
    assert hidden.number not in response.content.decode()


def test_searching_an_exact_number_opens_the_record(agent, memo):
    response = _client(agent).get("/console/search/", {"q": memo.number.lower()})

    assert response.status_code == 302
    assert response["Location"] == reverse("console:record", args=[memo.number])


def test_a_record_the_user_cannot_see_is_404(agent, requester):
    other = factories.memo(requester=requester)

    response = _client(agent).get(reverse("console:record", args=[other.number]))

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert other.title not in response.content.decode()


def test_an_unknown_record_number_is_404(agent):
    assert _client(agent).get("/console/records/MEM-999999/").status_code == 404
    assert _client(agent).get("/console/records/XYZ-1/").status_code == 404


def test_a_visible_record_shows_fields_attachments_and_timeline(agent, memo):
    response = _client(agent).get(reverse("console:record", args=[memo.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert memo.title in html
    assert "服务台" in html  # the team, from the generic field list
    assert 'id="timeline"' in html
    assert 'id="attachments"' in html
    assert "timeline-entry" in html


def test_the_timeline_partial_answers_htmx_and_uses_the_users_time_zone(agent, memo):
    services.person_update(actor=agent, person=agent, changes={"time_zone": "Europe/London"})
    entry = AuditEntry.objects.filter(content_type__model="memo", action="create").get()
    london = entry.occurred_at.astimezone(zoneinfo.ZoneInfo("Europe/London"))

    response = _client(agent).get(reverse("console:record_timeline", args=[memo.number]), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert london.strftime("%Y-%m-%d %H:%M:%S") in html
    assert "Europe/London" in html
    assert "值班工程师" not in html  # the create entry's actor is the requester
    assert "店员" in html


def test_the_timeline_url_without_htmx_goes_to_the_record_page(agent, memo):
    response = _client(agent).get(reverse("console:record_timeline", args=[memo.number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("console:record", args=[memo.number]) + "#timeline"


def test_the_timeline_of_an_invisible_record_is_404(agent, requester):
    other = factories.memo(requester=requester)

    response = _client(agent).get(reverse("console:record_timeline", args=[other.number]), **HTMX)

    assert response.status_code == 404


# ---------- attachments ----------

def _upload(name: str = "screen.png", content: bytes = b"\x89PNG fake") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_upload_then_download_through_the_console(agent, memo):
    client = _client(agent)

    uploaded = client.post(reverse("console:record_attachments", args=[memo.number]),
                           {"file": _upload()})
    attachment = Attachment.objects.get()
    downloaded = client.get(reverse("console:attachment", args=[attachment.pk]))

    assert uploaded.status_code == 302
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == b"\x89PNG fake"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert 'filename="screen.png"' in downloaded["Content-Disposition"]
    assert AuditEntry.objects.filter(action="attachment_added").count() == 1


def test_an_htmx_upload_returns_the_attachments_partial_and_refreshes_the_timeline(agent, memo):
    response = _client(agent).post(reverse("console:record_attachments", args=[memo.number]),
                                   {"file": _upload()}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "screen.png" in html
    assert response["HX-Trigger"] == "steward:timeline"


def test_an_empty_file_is_refused_with_422(agent, memo):
    response = _client(agent).post(reverse("console:record_attachments", args=[memo.number]),
                                   {"file": _upload(content=b"")})

    assert response.status_code == 422
    assert Attachment.objects.count() == 0


def test_a_read_only_auditor_can_view_but_not_upload(auditor, memo):
    client = _client(auditor)
    entries = AuditEntry.objects.count()

    page = client.get(reverse("console:record", args=[memo.number]))
    response = client.post(reverse("console:record_attachments", args=[memo.number]),
                           {"file": _upload()})

    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_downloading_an_attachment_of_an_invisible_record_is_404(agent, memo, requester):
    other = factories.memo(requester=requester)
    _client(requester).post(reverse("portal:record_attachments", args=[other.number]),
                            {"file": _upload()})
    attachment = Attachment.objects.get()

    response = _client(agent).get(reverse("console:attachment", args=[attachment.pk]))

    assert response.status_code == 404


# ---------- audit log ----------

def test_the_audit_log_is_404_for_agents(agent):
    assert _client(agent).get("/console/audit/").status_code == 404
    assert _client(agent).post("/console/audit/verify/").status_code == 404


def test_an_auditor_reads_the_audit_log_and_filters_it(auditor, memo):
    client = _client(auditor)

    everything = client.get("/console/audit/")
    creates = client.get("/console/audit/", {"action": "create", "object_type": "sample.memo"})

    assert everything.status_code == 200
    assert len(everything.context["entries"]) == AuditEntry.objects.count()
    assert [e.object_repr for e in creates.context["entries"]] == [str(memo)]


def test_verify_chain_shows_an_intact_chain(auditor, memo):
    client = _client(auditor)

    partial = client.post("/console/audit/verify/", **HTMX)
    page = client.post("/console/audit/verify/")

    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "notice-ok" in partial.content.decode()
    assert page.status_code == 200
    assert "notice-ok" in page.content.decode()
    assert partial.context["verification"].checked == AuditEntry.objects.count()


# ---------- accessibility ----------

def test_every_form_control_on_the_key_console_pages_has_a_label(admin, desk, memo, requester):
    factories.site(region="华东")
    client = _client(admin)
    pages = [
        "/console/", "/console/people/", reverse("console:person", args=[requester.pk]),
        "/console/teams/", reverse("console:team", args=[desk.pk]), "/console/departments/",
        "/console/sites/", "/console/search/?q=收银", reverse("console:record", args=[memo.number]),
        "/console/audit/", reverse("identity:profile"),
    ]

    found = {page: unlabelled_controls(client.get(page).content.decode()) for page in pages}

    assert found == {page: [] for page in pages}


def test_the_record_page_times_are_machine_readable(agent, memo):
    html = _client(agent).get(reverse("console:record", args=[memo.number])).content.decode()

    stamp = html.split('<time datetime="')[1].split('"')[0]
    assert datetime.fromisoformat(stamp).tzinfo is not None
