"""Console › CMDB: creating things — a new CI (class, then the generated form), CI classes and
their attribute definitions, redundancy groups from the CI page, an asset for a CI and a new
licence. Each form: the happy path, a field error, a refusal that writes nothing, labelled
controls, and the page in zh-Hans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.cmdb import index, services
from steward.cmdb.models import (
    Asset,
    CiClass,
    ConfigurationItem,
    RedundancyGroup,
    SoftwareLicence,
)
from steward.cmdb.tests.conftest import classes, team  # noqa: F401
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Person, Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


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
def outsider(db):
    """An agent of no team: reads the CMDB, creates nothing."""
    return factories.person(roles=(Role.AGENT,), username="outsider")


@pytest.fixture
def admin(db):
    return factories.person(roles=(Role.ADMINISTRATOR,), username="admin")


@pytest.fixture
def server(classes, team):  # noqa: F811
    return services.ci_create(
        actor=None, ci_class=classes["server"], name="erp-db-01", support_team=team,
        attributes={"mgmt_ip": "10.0.0.5"}, change_number="CHG-000001",
    )


@pytest.fixture
def standby(classes, team):  # noqa: F811
    return services.ci_create(
        actor=None, ci_class=classes["server"], name="erp-db-02", support_team=team,
        attributes={"mgmt_ip": "10.0.0.6"}, change_number="CHG-000001",
    )


def new_ci_data(**overrides):
    data = {
        "ci_class": "server", "name": "pos-app-01", "description": "", "status": "in_use",
        "owner": "engineer", "support_team": "INFRA", "site": "", "criticality": "2",
        "environment": "production", "service": "", "change_number": "CHG-000042",
        "attr_mgmt_ip": "10.1.0.9", "attr_cpu_cores": "8", "attr_serial_number": "SN-1",
    }
    return data | overrides


# ---------- a new CI ----------

def test_the_class_picker_lists_the_tree_in_the_users_language(engineer, classes):  # noqa: F811
    english = client_for(engineer).get(reverse("console:cmdb_ci_new"))
    chinese = client_for(engineer, "zh-hans").get(reverse("console:cmdb_ci_new"))

    choices = english.context["picker"].fields["ci_class"].choices
    assert [code for code, _label in choices] == ["hardware", "server", "service", "software",
                                                  "database"]
    assert dict(choices)["hardware"] == "Hardware"
    assert dict(choices)["server"] == "\u2003Server"
    assert dict(chinese.context["picker"].fields["ci_class"].choices)["hardware"] == "硬件"
    assert unlabelled_controls(english.content.decode()) == []


def test_an_engineer_creates_a_ci_from_the_generated_form(engineer, classes):  # noqa: F811
    client = client_for(engineer)
    form_page = client.get(reverse("console:cmdb_ci_new"), {"ci_class": "server"})

    response = client.post(reverse("console:cmdb_ci_new"), new_ci_data())

    assert form_page.status_code == 200
    assert {"attr_mgmt_ip", "attr_cpu_cores", "attr_serial_number"} <= set(
        form_page.context["form"].fields)
    assert form_page.context["form"]["support_team"].value() == "INFRA"
    assert unlabelled_controls(form_page.content.decode()) == []
    ci = ConfigurationItem.objects.get(name="pos-app-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:cmdb_ci", args=[ci.ci_id])
    assert (ci.ci_class.code, ci.status, ci.owner_id, ci.support_team.code, ci.criticality) == (
        "server", "in_use", engineer.pk, "INFRA", 2)
    assert ci.attributes == {"mgmt_ip": "10.1.0.9", "cpu_cores": 8, "serial_number": "SN-1"}
    assert ci.changes.filter(field="name").get().change_number == "CHG-000042"


def test_a_bad_attribute_value_lands_on_its_field_and_writes_nothing(engineer, classes):  # noqa: F811
    response = client_for(engineer).post(reverse("console:cmdb_ci_new"),
                                         new_ci_data(attr_mgmt_ip="10.1.0.999"))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["attr_mgmt_ip"]
    assert not ConfigurationItem.objects.filter(name="pos-app-01").exists()


def test_an_agent_outside_the_support_team_is_refused_and_nothing_is_written(
    outsider, classes, team  # noqa: F811
):
    response = client_for(outsider).post(reverse("console:cmdb_ci_new"), new_ci_data(owner=""))

    assert response.status_code == 403
    assert list(response.context["form"].errors) == ["support_team"]
    assert not ConfigurationItem.objects.exists()


def test_an_auditor_gets_no_new_ci_button_and_no_form(classes):  # noqa: F811
    auditor = factories.person(roles=(Role.AUDITOR,), username="auditor")
    client = client_for(auditor)

    listing = client.get(reverse("console:cmdb_cis"))
    refused = client.post(reverse("console:cmdb_ci_new"), new_ci_data(owner=""))

    assert 'id="ci-new"' not in listing.content.decode()
    assert refused.status_code == 403
    assert not ConfigurationItem.objects.exists()


def test_the_list_links_the_new_ci_page_and_the_form_renders_in_chinese(
    engineer, classes  # noqa: F811
):
    client = client_for(engineer, "zh-hans")

    listing = client.get(reverse("console:cmdb_cis"))
    page = client.get(reverse("console:cmdb_ci_new"), {"ci_class": "server"})

    assert f'href="{reverse("console:cmdb_ci_new")}"' in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert 'name="attr_mgmt_ip"' in html
    assert 'value="server"' in html
    assert unlabelled_controls(html) == []


# ---------- classes and attributes ----------

def test_the_classes_page_shows_own_and_inherited_attributes(admin, classes):  # noqa: F811
    response = client_for(admin).get(reverse("console:cmdb_classes"))

    html = response.content.decode()
    assert [r["ci_class"].code for r in response.context["rows"]] == [
        "hardware", "server", "service", "software", "database"]
    server_row = response.context["rows"][1]
    assert [(a["key"], a["inherited"]) for a in server_row["attributes"]] == [
        ("serial_number", True), ("mgmt_ip", False), ("cpu_cores", False)]
    assert 'data-inherited="hardware"' in html
    assert 'data-flag="change-control"' in html
    assert f'href="{reverse("console:cmdb_classes")}"' in html
    assert unlabelled_controls(html) == []


def test_an_administrator_adds_a_class_below_a_parent(admin, classes):  # noqa: F811
    response = client_for(admin).post(reverse("console:cmdb_class_add"), {
        "class-parent": "hardware", "class-code": "pos_terminal", "class-name": "收银终端",
        "class-name_en": "POS terminal", "class-under_change_control": "on",
    })

    created = CiClass.objects.get(code="pos_terminal")
    assert response.status_code == 302
    assert (created.parent.code, created.name, created.name_en,
            created.under_change_control) == ("hardware", "收银终端", "POS terminal", True)


def test_a_bad_class_code_lands_on_the_code_field(admin, classes):  # noqa: F811
    response = client_for(admin).post(reverse("console:cmdb_class_add"), {
        "class-parent": "", "class-code": "POS Terminal", "class-name": "收银终端"})

    assert response.status_code == 422
    assert list(response.context["class_form"].errors) == ["code"]
    assert CiClass.objects.count() == 5


def test_an_administrator_adds_a_choice_attribute(admin, classes):  # noqa: F811
    response = client_for(admin).post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "server", "attr-key": "raid", "attr-type": "choice",
        "attr-label": "RAID 级别", "attr-label_en": "RAID level", "attr-required": "on",
        "attr-choices": "raid1|RAID 1|RAID 1\nraid10|RAID 10",
    })

    server = CiClass.objects.get(code="server")
    assert response.status_code == 302
    assert server.attributes[-1] == {
        "key": "raid", "type": "choice", "label": "RAID 级别", "label_en": "RAID level",
        "required": True, "choices": [
            {"value": "raid1", "label": "RAID 1", "label_en": "RAID 1"},
            {"value": "raid10", "label": "RAID 10", "label_en": ""}]}


def test_an_integer_attribute_keeps_its_limits(admin, classes):  # noqa: F811
    client_for(admin).post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "software", "attr-key": "licence_seats", "attr-type": "integer",
        "attr-label": "授权数", "attr-min": "1", "attr-max": "500"})

    assert CiClass.objects.get(code="software").attributes == [
        {"key": "licence_seats", "type": "integer", "label": "授权数", "required": False,
         "min": 1, "max": 500}]


def test_redefining_an_inherited_key_is_refused_on_the_key(admin, classes):  # noqa: F811
    before = CiClass.objects.get(code="server").attributes

    response = client_for(admin).post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "server", "attr-key": "serial_number", "attr-type": "string",
        "attr-label": "序列号"})

    assert response.status_code == 422
    assert list(response.context["attribute_form"].errors) == ["key"]
    assert CiClass.objects.get(code="server").attributes == before


def test_changing_a_keys_type_is_refused_on_the_type(admin, classes):  # noqa: F811
    before = CiClass.objects.get(code="server").attributes

    response = client_for(admin).post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "server", "attr-key": "cpu_cores", "attr-type": "string",
        "attr-label": "CPU 核数"})

    assert response.status_code == 422
    assert list(response.context["attribute_form"].errors) == ["type"]
    assert "type cannot change" in str(response.context["attribute_form"].errors["type"])
    assert CiClass.objects.get(code="server").attributes == before


def test_a_reference_needs_its_target_class(admin, classes):  # noqa: F811
    response = client_for(admin).post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "software", "attr-key": "runs_on_host", "attr-type": "reference",
        "attr-label": "主机"})

    assert response.status_code == 422
    assert list(response.context["attribute_form"].errors) == ["target_class"]
    assert CiClass.objects.get(code="software").attributes == []


def test_only_administrators_define_classes(engineer, classes):  # noqa: F811
    client = client_for(engineer)

    page = client.get(reverse("console:cmdb_classes"))
    add_class = client.post(reverse("console:cmdb_class_add"), {
        "class-code": "pos_terminal", "class-name": "收银终端"})
    add_attribute = client.post(reverse("console:cmdb_attribute_add"), {
        "attr-ci_class": "software", "attr-key": "vendor", "attr-type": "string",
        "attr-label": "厂商"})

    assert page.status_code == 200
    assert (page.context["class_form"], page.context["attribute_form"]) == (None, None)
    assert (add_class.status_code, add_attribute.status_code) == (403, 403)
    assert not CiClass.objects.filter(code="pos_terminal").exists()
    assert CiClass.objects.get(code="software").attributes == []


def test_the_classes_page_renders_in_chinese(admin, classes):  # noqa: F811
    response = client_for(admin, "zh-hans").get(reverse("console:cmdb_classes"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in html
    assert 'id="class-server"' in html
    assert 'name="attr-key"' in html
    assert unlabelled_controls(html) == []


# ---------- redundancy groups ----------

def test_an_engineer_groups_a_ci_with_its_standby(engineer, server, standby):
    response = client_for(engineer).post(
        reverse("console:cmdb_group_create", args=[server.ci_id]), {
            "group-code": "ERP-DB", "group-name": "ERP 数据库集群", "group-support_team": "INFRA",
            "group-members": standby.ci_id.lower(), "group-change_number": "CHG-000050"})

    group = RedundancyGroup.objects.get(code="ERP-DB")
    assert response.status_code == 302
    assert sorted(group.members.values_list("ci_id", flat=True)) == [server.ci_id,
                                                                     standby.ci_id]
    assert group.support_team.code == "INFRA"


def test_an_unknown_member_lands_on_the_members_field(engineer, server):
    response = client_for(engineer).post(
        reverse("console:cmdb_group_create", args=[server.ci_id]), {
            "group-code": "ERP-DB", "group-name": "ERP", "group-members": "CI-999999"})

    assert response.status_code == 422
    assert list(response.context["group_form"].errors) == ["members"]
    assert not RedundancyGroup.objects.exists()


def test_an_outsider_may_not_create_a_group(outsider, server, standby):
    response = client_for(outsider).post(
        reverse("console:cmdb_group_create", args=[server.ci_id]), {
            "group-code": "ERP-DB", "group-name": "ERP", "group-members": standby.ci_id})

    assert response.status_code == 403
    assert not RedundancyGroup.objects.exists()
    server.refresh_from_db()
    assert server.redundancy_group_id is None


def test_the_group_members_are_set_from_the_ci_page(engineer, outsider, server, standby, team):  # noqa: F811
    group = services.group_create(actor=None, code="ERP-DB", name="ERP", support_team=team,
                                  members=[server, standby])

    refused = client_for(outsider).post(
        reverse("console:cmdb_group_members", args=[server.ci_id]),
        {"members-members": server.ci_id})
    page = client_for(engineer).get(reverse("console:cmdb_ci", args=[server.ci_id]))
    saved = client_for(engineer).post(
        reverse("console:cmdb_group_members", args=[server.ci_id]),
        {"members-members": server.ci_id})

    assert refused.status_code == 403
    assert page.context["members_form"]["members"].value() == f"{server.ci_id} {standby.ci_id}"
    assert saved.status_code == 302
    assert list(group.members.values_list("ci_id", flat=True)) == [server.ci_id]


def test_the_ci_page_forms_are_labelled_in_chinese(admin, server):
    response = client_for(admin, "zh-hans").get(reverse("console:cmdb_ci", args=[server.ci_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="group-create-form"' in html
    assert 'id="asset-register-form"' in html
    assert unlabelled_controls(html) == []


# ---------- assets and licences ----------

def test_an_administrator_registers_the_asset_of_a_ci(admin, server):
    response = client_for(admin).post(
        reverse("console:cmdb_asset_register", args=[server.ci_id]), {
            "asset-name": "Dell R750", "asset-purchase_date": "2026-01-10",
            "asset-cost": "68999.50", "asset-currency": "cny", "asset-supplier": "戴尔",
            "asset-warranty_end": "2029-01-09", "asset-lifecycle": "deployed"})

    asset = Asset.objects.get(ci=server)
    assert response.status_code == 302
    assert response["Location"] == reverse("console:cmdb_asset", args=[asset.asset_tag])
    assert (asset.name, asset.cost, asset.currency, asset.supplier, asset.lifecycle,
            str(asset.warranty_end)) == ("Dell R750", Decimal("68999.50"), "CNY", "戴尔",
                                         "deployed", "2029-01-09")
    page = client_for(admin).get(reverse("console:cmdb_ci", args=[server.ci_id]))
    assert page.context["asset_form"] is None


def test_a_warranty_ending_before_the_purchase_lands_on_its_field(admin, server):
    response = client_for(admin).post(
        reverse("console:cmdb_asset_register", args=[server.ci_id]), {
            "asset-name": "Dell R750", "asset-purchase_date": "2026-01-10",
            "asset-cost": "-1", "asset-currency": "CNY",
            "asset-warranty_end": "2025-01-09", "asset-lifecycle": "deployed"})

    assert response.status_code == 422
    assert sorted(response.context["asset_form"].errors) == ["cost", "warranty_end"]
    assert not Asset.objects.exists()


def test_an_engineer_may_not_register_an_asset(engineer, server):
    page = client_for(engineer).get(reverse("console:cmdb_ci", args=[server.ci_id]))
    response = client_for(engineer).post(
        reverse("console:cmdb_asset_register", args=[server.ci_id]), {
            "asset-name": "Dell R750", "asset-currency": "CNY", "asset-lifecycle": "deployed"})

    assert page.context["asset_form"] is None
    assert response.status_code == 403
    assert not Asset.objects.exists()


def test_finance_registers_a_licence(db):
    finance = factories.person(roles=(Role.FINANCE,), username="finance")

    response = client_for(finance).post(reverse("console:cmdb_licence_new"), {
        "licence-code": "O365-E3", "licence-product": "Microsoft 365 E3",
        "licence-publisher": "Microsoft", "licence-entitlements": "300",
        "licence-cost": "215999.00", "licence-currency": "CNY",
        "licence-ends_on": "2027-06-30"})

    licence = SoftwareLicence.objects.get(code="O365-E3")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:cmdb_licence", args=["O365-E3"])
    assert (licence.entitlements, licence.cost, str(licence.ends_on)) == (
        300, Decimal("215999.00"), "2027-06-30")


def test_a_taken_licence_code_lands_on_the_code(admin):
    services.licence_create(actor=None, code="O365-E3", product="M365", entitlements=10)

    response = client_for(admin).post(reverse("console:cmdb_licence_new"), {
        "licence-code": "o365-e3", "licence-product": "Other", "licence-entitlements": "1",
        "licence-currency": "CNY"})

    assert response.status_code == 409
    assert list(response.context["licence_form"].errors) == ["code"]
    assert SoftwareLicence.objects.count() == 1


def test_an_agent_may_not_register_a_licence(outsider):
    page = client_for(outsider).get(reverse("console:cmdb_licences"))
    response = client_for(outsider).post(reverse("console:cmdb_licence_new"), {
        "licence-code": "X", "licence-product": "X", "licence-entitlements": "1",
        "licence-currency": "CNY"})

    assert page.context["licence_form"] is None
    assert response.status_code == 403
    assert not SoftwareLicence.objects.exists()


def test_the_licence_form_renders_labelled_in_chinese(admin):
    response = client_for(admin, "zh-hans").get(reverse("console:cmdb_licences"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in html
    assert f'action="{reverse("console:cmdb_licence_new")}"' in html
    assert unlabelled_controls(html) == []


# ---------- requesters ----------

@pytest.mark.parametrize("name", ["cmdb_ci_new", "cmdb_classes", "cmdb_class_add",
                                  "cmdb_attribute_add", "cmdb_licence_new",
                                  "cmdb_group_create", "cmdb_asset_register"])
def test_a_requester_is_sent_to_the_portal_and_writes_nothing(name, server):
    args = [server.ci_id] if name in ("cmdb_group_create", "cmdb_asset_register") else []

    response = client_for(factories.person()).post(reverse(f"console:{name}", args=args), {
        "group-code": "G", "group-name": "G", "asset-name": "A", "asset-currency": "CNY",
        "asset-lifecycle": "deployed", "class-code": "x", "class-name": "x"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert (RedundancyGroup.objects.count(), Asset.objects.count(),
            CiClass.objects.count()) == (0, 0, 5)


# ---------- licence installations ----------

@pytest.fixture
def o365(db):
    return services.licence_create(actor=None, code="O365-E3", product="M365", entitlements=1)


def test_finance_records_and_removes_an_installation(o365):
    finance = factories.person(roles=(Role.FINANCE,), username="finance")
    laptop = factories.ci(name="财务部笔记本 01")
    client = client_for(finance, "zh-hans")
    page = client.get(reverse("console:cmdb_licence", args=[o365.code])).content.decode()
    assert unlabelled_controls(page) == []

    added = client.post(reverse("console:cmdb_licence_install", args=[o365.code]), {
        "install-ci_id": laptop.ci_id.lower(), "install-installed_on": "2026-11-20"})

    installation = o365.installations.get()
    assert added.status_code == 302
    assert (installation.ci, str(installation.installed_on)) == (laptop, "2026-11-20")
    removed = client.post(
        reverse("console:cmdb_licence_uninstall", args=[o365.code, installation.pk])
    )
    assert removed.status_code == 302
    assert not o365.installations.exists()
    actions = list(AuditEntry.objects.filter(object_id=str(o365.pk), content_type__model=
                                             "softwarelicence").values_list("action", flat=True))
    assert actions == ["create", "install", "uninstall"]


def test_an_unknown_or_repeated_ci_lands_on_the_ci_field(o365, admin):
    laptop = factories.ci(name="笔记本")
    services.licence_install(actor=None, licence=o365, ci=laptop,
                             installed_on=dt.date(2026, 11, 1))
    url = reverse("console:cmdb_licence_install", args=[o365.code])
    client = client_for(admin)

    unknown = client.post(url, {"install-ci_id": "CI-999999", "install-installed_on": "2026-11-20"})
    repeated = client.post(url, {"install-ci_id": laptop.ci_id,
                                 "install-installed_on": "2026-11-20"})

    assert (unknown.status_code, list(unknown.context["install_form"].errors)) == (422, ["ci_id"])
    assert (repeated.status_code, list(repeated.context["install_form"].errors)) == (
        409, ["ci_id"])
    assert o365.installations.count() == 1


def test_an_agent_sees_installations_but_cannot_change_them(o365, outsider):
    laptop = factories.ci(name="笔记本")
    installation = services.licence_install(actor=None, licence=o365, ci=laptop,
                                            installed_on=dt.date(2026, 11, 1))
    client = client_for(outsider)

    page = client.get(reverse("console:cmdb_licence", args=[o365.code]))
    install = client.post(reverse("console:cmdb_licence_install", args=[o365.code]), {
        "install-ci_id": laptop.ci_id, "install-installed_on": "2026-11-20"})
    remove = client.post(
        reverse("console:cmdb_licence_uninstall", args=[o365.code, installation.pk])
    )

    assert laptop.ci_id in page.content.decode()
    assert page.context["install_form"] is None
    assert (install.status_code, remove.status_code) == (403, 403)
    assert o365.installations.count() == 1


# ---------- editing an asset ----------

@pytest.fixture
def laptop_asset(db):
    return services.asset_create(actor=None, name="ThinkPad T14", supplier="联想",
                                 purchase_date=dt.date(2025, 6, 1), cost=Decimal("6999.00"),
                                 currency="CNY", warranty_end=dt.date(2026, 6, 1))


def _edit(client, asset, **fields):
    data = {"edit-version": str(asset.version), "edit-name": asset.name,
            "edit-supplier": asset.supplier, "edit-purchase_date": "2025-06-01",
            "edit-cost": "6999.00", "edit-currency": "CNY", "edit-warranty_end": "2026-06-01"}
    data.update({f"edit-{k}": v for k, v in fields.items()})
    return client.post(reverse("console:cmdb_asset_edit", args=[asset.asset_tag]), data)


def test_finance_extends_a_warranty_with_the_version_read(laptop_asset):
    finance = factories.person(roles=(Role.FINANCE,), username="finance")
    client = client_for(finance, "zh-hans")
    page = client.get(reverse("console:cmdb_asset_edit", args=[laptop_asset.asset_tag]))
    assert unlabelled_controls(page.content.decode()) == []

    response = _edit(client, laptop_asset, warranty_end="2028-06-01")

    laptop_asset.refresh_from_db()
    assert response.status_code == 302
    assert (str(laptop_asset.warranty_end), laptop_asset.version) == ("2028-06-01", 2)
    entry = AuditEntry.objects.filter(content_type__model="asset").last()
    assert entry is not None
    assert entry.changes["warranty_end"] == ["2026-06-01", "2028-06-01"]


def test_a_stale_edit_or_a_warranty_before_the_purchase_changes_nothing(laptop_asset, admin):
    client = client_for(admin)
    stale = laptop_asset.version
    services.asset_update(actor=None, asset=laptop_asset, changes={"supplier": "联想（北京）"})
    laptop_asset.refresh_from_db()

    conflict = _edit(client, laptop_asset, version=str(stale), name="改名")
    backwards = _edit(client, laptop_asset, warranty_end="2024-01-01")

    laptop_asset.refresh_from_db()
    assert conflict.status_code == 409
    assert (backwards.status_code, list(backwards.context["form"].errors)) == (
        422, ["warranty_end"])
    assert (laptop_asset.name, str(laptop_asset.warranty_end)) == ("ThinkPad T14", "2026-06-01")


def test_an_agent_cannot_edit_an_asset(laptop_asset, outsider):
    client = client_for(outsider)

    page = client.get(reverse("console:cmdb_asset", args=[laptop_asset.asset_tag])).content
    response = _edit(client, laptop_asset, name="改名")

    assert reverse("console:cmdb_asset_edit", args=[laptop_asset.asset_tag]) not in page.decode()
    assert response.status_code == 403


# ---------- editing classes ----------

def _edit_class(client, code, **fields):
    data = {"class-name": "服务器", "class-name_en": "Server", "class-description": "",
            "class-parent": "hardware", "class-under_change_control": "on",
            "class-is_active": "on"}
    data.update({f"class-{k}": v for k, v in fields.items() if v is not None})
    for k, v in fields.items():
        if v is None:
            data.pop(f"class-{k}", None)
    return client.post(reverse("console:cmdb_class_edit", args=[code]), data)


def test_an_administrator_renames_moves_and_retires_a_class(admin, classes):  # noqa: F811
    client = client_for(admin, "zh-hans")
    page = client.get(reverse("console:cmdb_class_edit", args=["server"]))
    assert page.status_code == 200
    assert unlabelled_controls(page.content.decode()) == []
    listing = client.get(reverse("console:cmdb_classes")).content.decode()
    assert reverse("console:cmdb_class_edit", args=["server"]) in listing

    response = _edit_class(client, "server", name="服务器主机", parent="", is_active=None)

    server = CiClass.objects.get(code="server")
    assert response.status_code == 302
    assert (server.name, server.parent_id, server.is_active) == ("服务器主机", None, False)
    assert server.under_change_control is True


def test_a_class_cannot_move_under_its_own_subclass(admin, classes):  # noqa: F811
    response = _edit_class(client_for(admin), "hardware", name="硬件", parent="server")

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["parent"]
    assert CiClass.objects.get(code="hardware").parent_id is None


def test_an_administrator_removes_an_own_attribute_but_not_an_inherited_one(
    admin, classes  # noqa: F811
):
    client = client_for(admin)
    listing = client.get(reverse("console:cmdb_classes")).content.decode()
    assert reverse("console:cmdb_attribute_remove", args=["server", "cpu_cores"]) in listing
    assert reverse("console:cmdb_attribute_remove", args=["server", "serial_number"]) not in (
        listing
    )

    removed = client.post(reverse("console:cmdb_attribute_remove", args=["server", "cpu_cores"]))
    inherited = client.post(
        reverse("console:cmdb_attribute_remove", args=["server", "serial_number"])
    )

    keys = [spec["key"] for spec in CiClass.objects.get(code="server").attributes]
    assert (removed.status_code, inherited.status_code) == (302, 404)
    assert "cpu_cores" not in keys
    assert "serial_number" in [s["key"] for s in CiClass.objects.get(code="hardware").attributes]


def test_an_agent_cannot_edit_classes(outsider, classes):  # noqa: F811
    client = client_for(outsider)

    page = client.get(reverse("console:cmdb_classes")).content.decode()
    edit = _edit_class(client, "server", name="改名")
    remove = client.post(reverse("console:cmdb_attribute_remove", args=["server", "cpu_cores"]))

    assert reverse("console:cmdb_class_edit", args=["server"]) not in page
    assert (edit.status_code, remove.status_code) == (403, 403)
    assert CiClass.objects.get(code="server").name == "服务器"
