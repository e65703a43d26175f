"""Console › CMDB: the CI list (filters, search, paging, export), a CI's page, editing
through ``ci_update`` (a field error, a stale version), status actions and relations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.cmdb import index, services
from steward.cmdb.models import CiChange, ConfigurationItem, Relation
from steward.cmdb.tests.conftest import classes, team  # noqa: F401
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Person, Role
from steward.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fresh_index():
    index.reset()
    yield
    index.reset()


def client_for(person: Person, language: str = "en") -> Client:
    client = Client()
    client.force_login(person)
    client.post("/language/", {"language": language})
    return client


@pytest.fixture
def engineer(team):  # noqa: F811 - the INFRA team fixture
    person = factories.person(roles=(Role.AGENT,), username="engineer")
    from steward.identity.services import team_set_members

    team_set_members(actor=None, team=team, members=[person])
    return person


@pytest.fixture
def outsider():
    """An agent of no team: reads the CMDB, changes nothing."""
    return factories.person(roles=(Role.AGENT,), username="outsider")


@pytest.fixture
def server(classes, team):  # noqa: F811
    site = factories.site(code="DC1", name="数据中心", kind="data_centre")
    return services.ci_create(
        actor=None, ci_class=classes["server"], name="erp-db-01", support_team=team, site=site,
        criticality=1, attributes={"mgmt_ip": "10.0.0.5", "cpu_cores": 16,
                                   "serial_number": "SN-7781"},
        change_number="CHG-000001",
    )


# ---------- access ----------

@pytest.mark.parametrize("name", ["cmdb_cis", "cmdb_ci", "cmdb_ci_edit", "cmdb_impact",
                                  "cmdb_imports", "cmdb_unauthorised", "cmdb_baselines",
                                  "cmdb_audits", "cmdb_assets", "cmdb_licences"])
def test_a_requester_is_sent_to_the_portal(name, server):
    args = [server.ci_id] if name in ("cmdb_ci", "cmdb_ci_edit") else []

    response = client_for(factories.person()).get(reverse(f"console:{name}", args=args))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_a_requester_cannot_edit_through_a_post(server):
    response = client_for(factories.person()).post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]), {"name": "x", "version": 1})

    assert response.status_code == 302
    server.refresh_from_db()
    assert (server.name, server.version) == ("erp-db-01", 1)


def test_an_unknown_ci_is_404(outsider):
    assert client_for(outsider).get(
        reverse("console:cmdb_ci", args=["CI-999999"])).status_code == 404


def test_an_agent_outside_the_support_team_may_not_edit(outsider, server):
    client = client_for(outsider)

    page = client.get(reverse("console:cmdb_ci", args=[server.ci_id]))
    form = client.get(reverse("console:cmdb_ci_edit", args=[server.ci_id]))
    posted = client.post(reverse("console:cmdb_ci_edit", args=[server.ci_id]), {
        "name": "renamed", "criticality": 1, "environment": "production", "version": 1,
        "attr_mgmt_ip": "10.0.0.5"})

    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert reverse("console:cmdb_ci_edit", args=[server.ci_id]) not in page.content.decode()
    assert (form.status_code, posted.status_code) == (403, 403)
    server.refresh_from_db()
    assert (server.name, server.version) == ("erp-db-01", 1)


# ---------- list ----------

def test_the_list_filters_by_class_with_subclasses_status_site_team_environment_criticality(
    outsider, classes, team, server  # noqa: F811
):
    other_team = factories.team(code="NET")
    store = factories.site(code="S0001")
    factories.ci(ci_class=classes["hardware"], name="switch-01", site=store,
                 support_team=other_team, criticality=4)
    factories.ci(ci_class=classes["database"], name="erp-db", environment="test",
                 status="planned")
    client = client_for(outsider)

    def names(**params: str) -> list[str]:
        response = client.get(reverse("console:cmdb_cis"), params)
        assert response.status_code == 200
        return [ci.name for ci in response.context["page_obj"]]

    assert names() == ["erp-db-01", "switch-01", "erp-db"]
    assert names(ci_class="hardware") == ["erp-db-01", "switch-01"]
    assert names(ci_class="server") == ["erp-db-01"]
    assert names(status="planned") == ["erp-db"]
    assert names(site="S0001") == ["switch-01"]
    assert names(team="INFRA") == ["erp-db-01"]
    assert names(environment="test") == ["erp-db"]
    assert names(criticality="4") == ["switch-01"]
    assert names(q=server.ci_id.lower()) == ["erp-db-01"]
    assert names(q="db") == ["erp-db-01", "erp-db"]
    assert names(q="SN-7781") == ["erp-db-01"]
    assert names(q="cpu_cores=16") == ["erp-db-01"]
    assert names(q="mgmt_ip=10.0.0.9") == []


def test_an_htmx_filter_returns_only_the_rows(outsider, server):
    response = client_for(outsider).get(reverse("console:cmdb_cis"), {"q": "erp"}, **HTMX)

    assert [t.name for t in response.templates][0] == "console/cmdb/_ci_rows.html"
    assert "<html" not in response.content.decode()
    assert server.ci_id in response.content.decode()


def test_the_list_pages_with_a_query_cap(outsider, classes, django_assert_max_num_queries):  # noqa: F811
    for n in range(60):
        factories.ci(ci_class=classes["software"], name=f"app-{n:02d}")
    client = client_for(outsider)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("console:cmdb_cis"), {"page": "2"})

    assert response.context["page_obj"].paginator.count == 60
    assert [ci.name for ci in response.context["page_obj"]][:2] == ["app-50", "app-51"]


def test_the_filtered_list_exports_as_csv(outsider, classes, server):  # noqa: F811
    factories.ci(ci_class=classes["software"], name="mail")

    response = client_for(outsider).get(reverse("console:cmdb_export"),
                                        {"ci_class": "hardware", "format": "csv"})

    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert response["Content-Disposition"] == 'attachment; filename="cis.csv"'
    assert len(lines) == 2
    assert lines[1].startswith(f"{server.ci_id},erp-db-01,server,in_use,DC1,INFRA,")


# ---------- the CI page ----------

def test_the_ci_page_shows_header_attributes_relations_group_history_and_asset(
    engineer, classes, server  # noqa: F811
):
    app = factories.ci(ci_class=classes["software"], name="erp-app")
    factories.relation(app, "depends_on", server)
    twin = factories.ci(ci_class=classes["hardware"], name="erp-db-02")
    services.group_create(actor=None, code="ERPDB", name="ERP 数据库", members=[server, twin])
    asset = services.asset_create(actor=None, name="Dell R750", ci=server)
    services.ci_update(actor=None, ci=server, changes={"attributes": {"cpu_cores": 32}})

    response = client_for(engineer).get(reverse("console:cmdb_ci", args=[server.ci_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [(r.key, r.label, r.display) for r in response.context["attributes"]] == [
        ("serial_number", "序列号", "SN-7781"), ("mgmt_ip", "管理地址", "10.0.0.5"),
        ("cpu_cores", "CPU 核数", "32")]
    [group] = response.context["relation_groups"]
    assert (group.label, group.outgoing) == ("depended on by", False)
    assert [other.name for _r, other, _removable in group.relations] == ["erp-app"]
    assert [m.name for m in response.context["group_members"]] == ["erp-db-01", "erp-db-02"]
    assert reverse("console:cmdb_ci", args=[app.ci_id]) in html
    assert reverse("console:cmdb_asset", args=[asset.asset_tag]) in html
    history = response.context["history"]
    assert [(c.field, c.change_number, c.unauthorised) for c in history[:2]] == [
        ("attributes.cpu_cores", None, True), ("redundancy_group", None, True)]
    assert '<code class="change-number">CHG-000001</code>' in html
    assert set(response.context["actions"]) == {"start_maintenance", "retire"}


def test_attribute_labels_follow_the_language(engineer, classes):  # noqa: F811
    ci_class = services.class_create(
        actor=None, code="router", name="路由器", name_en="Router",
        attributes=[{"key": "wan", "type": "choice", "label": "线路", "label_en": "Line",
                     "choices": [{"value": "fiber", "label": "光纤", "label_en": "Fibre"}]}])
    router = factories.ci(ci_class=ci_class, attributes={"wan": "fiber"})

    english = client_for(engineer, "en").get(reverse("console:cmdb_ci", args=[router.ci_id]))
    chinese = client_for(engineer, "zh-hans").get(
        reverse("console:cmdb_ci", args=[router.ci_id]))

    assert [(r.label, r.display) for r in english.context["attributes"]] == [("Line", "Fibre")]
    assert [(r.label, r.display) for r in chinese.context["attributes"]] == [("线路", "光纤")]
    assert '<html lang="zh-Hans"' in chinese.content.decode()
    assert reverse("console:cmdb_impact") in chinese.content.decode()


# ---------- edit ----------

def edit_data(ci: ConfigurationItem, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": ci.name, "description": "", "owner": "", "support_team": "INFRA",
        "site": ci.site.code if ci.site else "", "criticality": ci.criticality,
        "environment": ci.environment, "version": ci.version, "change_number": "",
        "attr_serial_number": "SN-7781", "attr_mgmt_ip": "10.0.0.5", "attr_cpu_cores": "16",
    }
    return data | changes


def test_the_edit_form_is_generated_from_the_class_attributes(engineer, server):
    response = client_for(engineer).get(reverse("console:cmdb_ci_edit", args=[server.ci_id]))

    form = response.context["form"]
    assert [f.name for f in form.attribute_fields()] == [
        "attr_serial_number", "attr_mgmt_ip", "attr_cpu_cores"]
    assert form["attr_mgmt_ip"].field.required is True
    assert form["attr_cpu_cores"].field.widget.attrs["max"] == 1024
    assert form.initial["attr_cpu_cores"] == 16
    assert form.initial["version"] == 1


def test_an_edit_saves_with_its_change_record(engineer, server):
    response = client_for(engineer).post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]),
        edit_data(server, name="erp-db-01a", attr_cpu_cores="24", owner="engineer",
                  change_number="CHG-000042"))

    assert response.status_code == 302
    assert response["Location"] == reverse("console:cmdb_ci", args=[server.ci_id])
    server.refresh_from_db()
    assert (server.name, server.attributes["cpu_cores"], server.owner_id, server.version) == (
        "erp-db-01a", 24, engineer.pk, 2)
    assert sorted(CiChange.objects.filter(ci=server, action="update").values_list(
        "field", "change_number", "unauthorised")) == [
        ("attributes.cpu_cores", "CHG-000042", False), ("name", "CHG-000042", False),
        ("owner", "CHG-000042", False)]


def test_a_bad_attribute_value_is_an_error_on_its_field_and_nothing_changes(engineer, server):
    client = client_for(engineer)
    entries = AuditEntry.objects.count()

    response = client.post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]),
        edit_data(server, name="renamed", attr_cpu_cores="5000"))

    assert response.status_code == 422
    assert response.context["form"].errors["attr_cpu_cores"] == ["At most 1024."]
    assert 'id="id_attr_cpu_cores_error"' in response.content.decode()
    server.refresh_from_db()
    assert (server.name, server.version) == ("erp-db-01", 1)
    assert AuditEntry.objects.count() == entries


def test_an_unknown_owner_is_a_form_error(engineer, server):
    response = client_for(engineer).post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]), edit_data(server, owner="nobody"))

    assert response.status_code == 422
    assert response.context["form"].errors["owner"] == ["No active person with that user name."]


def test_a_stale_version_is_a_conflict_and_keeps_the_other_edit(engineer, server):
    services.ci_update(actor=None, ci=server, changes={"name": "someone-else"})

    response = client_for(engineer).post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]),
        edit_data(server, name="mine", version=1))

    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        f"{server.ci_id} was changed by someone else (version 2, you had 1)."]
    server.refresh_from_db()
    assert (server.name, server.version) == ("someone-else", 2)


# ---------- status actions and relations ----------

def test_a_status_action_records_its_change_record(engineer, server):
    response = client_for(engineer).post(
        reverse("console:cmdb_ci_act", args=[server.ci_id, "start_maintenance"]),
        {"version": 1, "change_number": "CHG-000050"})

    assert response.status_code == 302
    server.refresh_from_db()
    assert server.status == "maintenance"
    assert CiChange.objects.get(ci=server, action="transition").change_number == "CHG-000050"


def test_a_status_action_not_in_the_table_changes_nothing(engineer, server):
    client = client_for(engineer)

    response = client.post(reverse("console:cmdb_ci_act", args=[server.ci_id, "put_in_use"]),
                           {"version": 1}, follow=True)

    server.refresh_from_db()
    assert server.status == "in_use"
    assert server.version == 1
    assert [str(m) for m in response.context["messages"]] == [
        "Action “put_in_use” is not allowed while the record is “in_use”."]


def test_relations_are_added_in_either_direction_and_removed(
    engineer, classes, team, server  # noqa: F811
):
    app = factories.ci(ci_class=classes["software"], name="erp-app", support_team=team)
    client = client_for(engineer)
    url = reverse("console:cmdb_relation_add", args=[server.ci_id])

    added = client.post(url, {"direction": "in", "kind": "runs_on", "other": app.ci_id,
                              "change_number": "CHG-000060"}, follow=True)
    assert [str(m) for m in added.context["messages"]] == ["The relation was added."]
    denied = client.post(url, {"direction": "out", "kind": "depends_on", "other": "CI-999999"},
                         follow=True)

    relation = Relation.objects.get()
    assert (relation.source_id, relation.kind, relation.target_id) == (app.pk, "runs_on",
                                                                       server.pk)
    assert [str(m) for m in denied.context["messages"]] == ["No configuration item CI-999999."]

    client.post(reverse("console:cmdb_relation_remove", args=[server.ci_id, relation.pk]),
                {"change_number": "CHG-000061"})

    assert not Relation.objects.exists()
    assert list(CiChange.objects.filter(field="relations.runs_on").values_list(
        "action", "change_number")) == [("relation_remove", "CHG-000061"),
                                        ("relation_add", "CHG-000060")]


def test_every_control_of_the_cmdb_pages_has_a_label(engineer, classes, server):  # noqa: F811
    app = factories.ci(ci_class=classes["software"], name="erp-app")
    factories.relation(app, "depends_on", server)
    client = client_for(engineer)

    pages = [
        client.get(reverse("console:cmdb_cis")),
        client.get(reverse("console:cmdb_ci", args=[server.ci_id])),
        client.get(reverse("console:cmdb_ci_edit", args=[server.ci_id])),
        client.get(reverse("console:cmdb_impact"), {"ci": server.ci_id}),
        client.get(reverse("console:cmdb_imports")),
    ]

    assert [p.status_code for p in pages] == [200] * 5
    assert [unlabelled_controls(p.content.decode()) for p in pages] == [[]] * 5


def test_the_ci_page_has_a_query_cap(engineer, classes, server, django_assert_max_num_queries):  # noqa: F811
    for n in range(20):
        factories.relation(factories.ci(ci_class=classes["software"], name=f"app-{n}"),
                           "depends_on", server)
    client = client_for(engineer)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("console:cmdb_ci", args=[server.ci_id]))

    assert sum(len(g.relations) for g in response.context["relation_groups"]) == 20


def test_an_unknown_site_code_is_a_form_error(engineer, server):
    response = client_for(engineer).post(
        reverse("console:cmdb_ci_edit", args=[server.ci_id]), edit_data(server, site="NOPE"))

    assert response.status_code == 422
    assert response.context["form"].errors["site"] == ["No site with that code."]
    server.refresh_from_db()
    assert server.site.code == "DC1"
