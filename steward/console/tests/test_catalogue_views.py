"""Console › Catalogue: the service list with filters, a service's page, editing through
``catalogue.services.service_update`` (errors as form errors with 422), request items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.catalogue import services as catalogue
from steward.catalogue.models import Service
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Person, Role
from steward.sla import services as sla
from steward.sla.models import CalendarKind
from steward.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
OFFICE = {d: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] for d in range(5)}


def _item(service: Service, **fields: object) -> object:
    """A request item with a one-field form and one task (the definition needs both)."""
    if "tasks" not in fields:
        fields["tasks"] = [{"title": "处理", "team": factories.team().code}]
    fields.setdefault("form", [{"key": "note", "type": "text", "label": "说明"}])
    return factories.request_item(service=service, **fields)


def _client(person: Person, language: str = "") -> Client:
    """Signed in; in ``language`` when given (its choice is saved, which is audited)."""
    client = Client()
    client.force_login(person)
    if language:
        client.post("/language/", {"language": language})
    return client


@pytest.fixture
def admin():
    return factories.person(username="root", roles=(Role.ADMINISTRATOR,))


@pytest.fixture
def agent():
    return factories.person(username="agent", roles=(Role.AGENT,))


@pytest.fixture
def owner():
    return factories.person(username="owner", name="收银负责人", roles=(Role.SERVICE_OWNER,))


@pytest.fixture
def store():
    return catalogue.category_create(actor=None, code="STORE", name="门店系统",
                                     name_en="Store systems", position=10)


@pytest.fixture
def pos(owner, store):
    return factories.service(code="POS", name="门店收银", name_en="Store checkout", owner=owner,
                             category=store, criticality=1, description="收银机和扫码枪。")


@pytest.fixture
def calendar():
    return sla.calendar_create(actor=None, code="OFFICE", name="办公时间",
                               kind=CalendarKind.WEEKLY, weekly=OFFICE)


# ---------- access ----------

@pytest.mark.parametrize("name", ["console:services", "console:service", "console:service_edit",
                                  "console:request_item"])
def test_a_requester_is_sent_from_the_catalogue_pages_to_the_portal(name, pos):
    requester = factories.person()
    item = _item(pos, code="TONER")
    args = [] if name == "console:services" else [item.code if "item" in name else pos.code]

    response = _client(requester).get(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_an_unknown_service_is_404(agent):
    assert _client(agent).get(reverse("console:service", args=["NOPE"])).status_code == 404
    assert _client(agent).get(reverse("console:request_item", args=["NOPE"])).status_code == 404


# ---------- list ----------

def test_the_service_list_filters_by_category_lifecycle_criticality_and_words(agent, pos, store):
    factories.service(code="MAIL", name="企业邮箱", criticality=2)
    factories.service(code="OLD", name="旧收银系统", lifecycle="retired", category=store)
    client = _client(agent)

    def codes(**params: str) -> list[str]:
        response = client.get(reverse("console:services"), params)
        assert response.status_code == 200
        return [s.code for s in response.context["page_obj"]]

    assert codes() == ["MAIL", "OLD", "POS"]
    assert codes(category="STORE") == ["OLD", "POS"]
    assert codes(category="STORE", lifecycle="live") == ["POS"]
    assert codes(criticality="2") == ["MAIL"]
    assert codes(q="收银") == ["OLD", "POS"]
    assert codes(q="checkout") == ["POS"]


def test_an_htmx_filter_returns_only_the_rows(agent, pos):
    response = _client(agent).get(reverse("console:services"), {"q": "POS"}, **HTMX)

    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "console/_service_rows.html"
    assert "<html" not in html
    assert "门店收银" in html


def test_the_service_list_has_a_query_cap(agent, django_assert_max_num_queries):
    owner, team = factories.person(roles=(Role.SERVICE_OWNER,)), factories.team()
    for n in range(30):
        service = factories.service(code=f"S{n:02d}", owner=owner, support_team=team)
        _item(service)
    client = _client(agent)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("console:services"))

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 30


# ---------- a service's page ----------

def test_a_service_page_shows_owner_team_customers_dependencies_items_and_agreements(
    agent, pos, calendar
):
    east = factories.department(code="EAST", name="华东区")
    catalogue.service_set_customers(actor=None, service=pos, departments=[east])
    network = factories.service(code="NET", name="门店网络")
    reports = factories.service(code="BI", name="经营报表")
    catalogue.service_set_dependencies(actor=None, service=pos, depends_on=[network])
    catalogue.service_set_dependencies(actor=None, service=reports, depends_on=[pos])
    _item(pos, code="TERMINAL", name="新增收银机", promised_minutes=2400)
    agreement = sla.agreement_create(actor=None, code="SLA-POS", name="门店收银协议", service=pos,
                                     valid_from=dt.date(2026, 1, 1), compliance_target="97.00")
    sla.metric_set(actor=None, agreement=agreement, kind="first_response", calendar=calendar,
                   targets={"1": 10, "3": 60}, start_states=["new"], stop_states=["resolved"])

    response = _client(agent, "en").get(reverse("console:service", args=["pos"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "收银负责人" in html
    assert str(pos.support_team) in html
    assert "华东区" in html
    assert reverse("console:service", args=["NET"]) in html
    assert reverse("console:service", args=["BI"]) in html
    assert reverse("console:request_item", args=["TERMINAL"]) in html
    assert "5 working days" in html  # 2400 business minutes (no translations compiled yet)
    assert reverse("console:agreement", args=["SLA-POS"]) in html
    assert [a.agreement.code for a in response.context["agreements"]] == ["SLA-POS"]
    targets = response.context["agreements"][0]
    assert targets.priorities == ["1", "3"]
    assert [(r.kind, r.targets) for r in targets.rows] == [("first_response", [10, 60])]
    assert "99.5 %" in html  # the availability target
    assert reverse("console:service_edit", args=["POS"]) not in html  # agents do not edit


def test_the_owner_sees_the_edit_link(owner, pos):
    html = _client(owner).get(reverse("console:service", args=["POS"])).content.decode()

    assert reverse("console:service_edit", args=["POS"]) in html


# ---------- editing ----------

def _edit_data(service: Service, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": service.name, "name_en": service.name_en, "description": service.description,
        "description_en": service.description_en, "kind": service.kind,
        "category": service.category_id or "", "owner": service.owner.username,
        "support_team": service.support_team_id, "criticality": service.criticality,
        "lifecycle": service.lifecycle, "visibility": service.visibility,
        "availability_target": str(service.availability_target), "keywords": service.keywords,
    }
    data.update(changes)
    return data


def test_the_owner_edits_the_service_through_the_service_layer(owner, pos):
    url = reverse("console:service_edit", args=["POS"])
    client = _client(owner)

    page = client.get(url)
    response = client.post(url, _edit_data(pos, name_en="Checkout", criticality=2))

    assert page.status_code == 200
    assert unlabelled_controls(page.content.decode()) == []
    assert response.status_code == 302
    assert response["Location"] == reverse("console:service", args=["POS"])
    pos.refresh_from_db()
    assert (pos.name_en, pos.criticality, pos.version) == ("Checkout", 2, 2)
    entry = AuditEntry.objects.filter(action="update", object_id=str(pos.pk)).get()
    assert entry.changes == {"criticality": [1, 2], "name_en": ["Store checkout", "Checkout"]}


def test_a_business_rule_error_comes_back_on_its_field_with_422(owner, pos):
    entries = AuditEntry.objects.count()

    response = _client(owner).post(reverse("console:service_edit", args=["POS"]),
                                   _edit_data(pos, availability_target="150"))

    assert response.status_code == 422
    assert 'id="id_availability_target_error"' in response.content.decode()
    pos.refresh_from_db()
    assert (pos.availability_target, pos.version) == (Decimal("99.500"), 1)
    assert AuditEntry.objects.count() == entries


def test_an_unknown_owner_is_a_form_error_with_422(owner, pos):
    response = _client(owner).post(reverse("console:service_edit", args=["POS"]),
                                   _edit_data(pos, owner="nobody"))

    assert response.status_code == 422
    assert 'id="id_owner_error"' in response.content.decode()


def test_another_service_owner_may_neither_open_nor_post_the_edit_form(pos):
    other = factories.person(roles=(Role.SERVICE_OWNER,))
    url = reverse("console:service_edit", args=["POS"])
    client = _client(other)

    page = client.get(url)
    response = client.post(url, _edit_data(pos, name="改名"))

    assert page.status_code == 403
    assert response.status_code == 403
    assert "form-errors" in response.content.decode()
    pos.refresh_from_db()
    assert (pos.name, pos.version) == ("门店收银", 1)


def test_an_administrator_edits_any_service(admin, pos):
    response = _client(admin).post(reverse("console:service_edit", args=["POS"]),
                                   _edit_data(pos, lifecycle="retired"))

    assert response.status_code == 302
    assert Service.objects.get(pk=pos.pk).lifecycle == "retired"


# ---------- request items ----------

FORM = [
    {"key": "model", "type": "choice", "label": "型号", "label_en": "Model", "required": True,
     "choices": [{"value": "t14", "label": "ThinkPad T14"}]},
    {"key": "reason", "type": "long_text", "label": "用途", "label_en": "Reason",
     "help": "<b>说明</b>用途"},
    {"key": "needed_by", "type": "date", "label": "需要日期", "label_en": "Needed by"},
    {"key": "systems", "type": "multi_choice", "label": "系统", "label_en": "Systems",
     "choices": [{"value": "erp", "label": "ERP"}, {"value": "mail", "label": "邮箱"}]},
    {"key": "count", "type": "number", "label": "数量", "min": 1, "max": 4},
]


def test_a_request_item_shows_its_current_version_as_a_read_only_form_and_its_history(
    agent, pos
):
    desk = factories.team(code="DESK", name="服务台")
    item = factories.request_item(
        service=pos, code="LAPTOP", name="申请笔记本电脑", form=FORM, approval_kind="manager",
        tasks=[{"title": "准备电脑", "title_en": "Prepare the laptop", "team": "DESK"}],
        instructions="使用标准镜像。", promised_minutes=3 * 8 * 60,
    )
    catalogue.request_item_revise(actor=None, item=item, changes={"promised_minutes": 480})

    response = _client(agent).get(reverse("console:request_item", args=["laptop"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["version"].number == 2
    assert [v.number for v in response.context["versions"]] == [2, 1]
    assert "<fieldset disabled" in html
    assert 'name="preview-model"' in html
    assert 'name="preview-systems"' in html
    assert "&lt;b&gt;说明&lt;/b&gt;" in html  # help text held as data is escaped
    assert "准备电脑" in html
    assert str(desk) in html
    assert "使用标准镜像。" in html
    assert "?version=1" in html
    assert unlabelled_controls(html) == []


def test_an_earlier_version_can_be_shown(agent, pos):
    item = _item(pos, code="TONER", name="更换硒鼓")
    catalogue.request_item_revise(actor=None, item=item, changes={"name": "更换墨盒"})

    response = _client(agent).get(reverse("console:request_item", args=["TONER"]),
                                  {"version": "1"})
    missing = _client(agent).get(reverse("console:request_item", args=["TONER"]),
                                 {"version": "9"})

    assert response.context["version"].name == "更换硒鼓"
    assert response.context["is_current"] is False
    assert missing.status_code == 404


def test_the_item_labels_follow_the_language(agent, pos):
    _item(pos, code="LAPTOP", name="申请笔记本电脑", name_en="Request a laptop", form=FORM)
    url = reverse("console:request_item", args=["LAPTOP"])

    chinese = _client(agent).get(url).content.decode()
    english = _client(agent, "en").get(url).content.decode()

    assert "申请笔记本电脑" in chinese
    assert ">型号" in chinese
    assert "Request a laptop" in english
    assert ">Model" in english
