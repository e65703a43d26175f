"""Portal › Catalogue: browse by category, search, a service's page with the promised times,
in the person's language, showing only the services the person may use (customer rules);
and the promise on a ticket's page."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse

from steward.catalogue import services as catalogue
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity import services as identity
from steward.identity.models import Person, Role
from steward.sla import compile as compile_module
from steward.sla import services as sla
from steward.sla.models import CalendarKind
from steward.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
OFFICE = {d: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] for d in range(5)}
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Compiled calendars are cached per (id, version) in the process; SQLite reuses ids after
    a test's rollback, so a later test could get this test's calendar. Leave nothing behind."""
    compile_module._cache.clear()
    yield
    compile_module._cache.clear()


def _client(person: Person, language: str = "") -> Client:
    client = Client()
    client.force_login(person)
    if language:
        client.post("/language/", {"language": language})
    return client


@pytest.fixture
def org():
    retail = factories.department(code="RETAIL", name="零售事业部")
    east = factories.department(code="EAST", name="华东区", parent=retail)
    finance = factories.department(code="FIN", name="财务部")
    store = factories.site(code="S0001", name="上海一店")
    group = identity.site_group_create(actor=None, code="STORES", name="全部门店",
                                       name_en="All stores", sites=[store])
    return {"retail": retail, "east": east, "finance": finance, "store": store, "group": group}


@pytest.fixture
def clerk(org):
    return factories.person(username="clerk", name="店员小王", department=org["east"],
                            site=org["store"])


@pytest.fixture
def desk():
    return factories.team(code="DESK", name="服务台")


def _item(service, code: str, name: str, name_en: str = "", minutes: int = 480):
    return factories.request_item(
        service=service, code=code, name=name, name_en=name_en, promised_minutes=minutes,
        form=[{"key": "note", "type": "text", "label": "说明"}],
        tasks=[{"title": "处理", "team": "DESK"}],
    )


@pytest.fixture
def catalogue_data(org, desk):
    office = catalogue.category_create(actor=None, code="OFFICE", name="办公与协作",
                                       name_en="Office and collaboration", position=20)
    stores = catalogue.category_create(actor=None, code="STORE", name="门店系统",
                                       name_en="Store systems", position=10)
    mail = factories.service(code="EMAIL", name="企业邮箱", name_en="E-mail", category=office,
                             keywords="mailbox")
    _item(mail, "MAILBOX", "申请邮箱", "New mailbox", minutes=8 * 60)
    _item(mail, "LIST", "邮件组", "Distribution list", minutes=4 * 60)
    pos = factories.service(code="POS", name="门店收银", name_en="Store checkout",
                            category=stores)
    catalogue.service_set_customers(actor=None, service=pos, site_groups=[org["group"]])
    _item(pos, "TERMINAL", "新增收银机", "Additional checkout terminal", minutes=5 * 8 * 60)
    erp = factories.service(code="ERP", name="ERP 系统", name_en="ERP", category=office)
    catalogue.service_set_customers(actor=None, service=erp, departments=[org["finance"]])
    retail_app = factories.service(code="RETAILAPP", name="零售应用", name_en="Retail app",
                                   category=stores)
    catalogue.service_set_customers(actor=None, service=retail_app, departments=[org["retail"]])
    factories.service(code="DC", name="数据中心", name_en="Data centre", visibility="internal")
    factories.service(code="OLD", name="旧系统", name_en="Old system", lifecycle="retired")
    return {"mail": mail, "pos": pos, "erp": erp}


@pytest.fixture
def calendar():
    return sla.calendar_create(actor=None, code="OFFICE", name="办公时间",
                               kind=CalendarKind.WEEKLY, weekly=OFFICE)


def _sla(code: str, service, calendar, response: dict[str, int], resolution: dict[str, int],
         **fields):
    agreement = sla.agreement_create(actor=None, code=code, name=code, service=service,
                                     valid_from=dt.date(2020, 1, 1), **fields)
    sla.metric_set(actor=None, agreement=agreement, kind="first_response", calendar=calendar,
                   targets=response, start_states=["new"], stop_states=["in_progress"])
    sla.metric_set(actor=None, agreement=agreement, kind="resolution", calendar=calendar,
                   targets=resolution, start_states=["new"], stop_states=["resolved"],
                   pause_states=["on_hold"])
    return sla.agreement_activate(actor=None, agreement=agreement)


# ---------- browsing ----------

def test_the_catalogue_lists_only_the_services_the_person_may_use(clerk, catalogue_data):
    response = _client(clerk).get(reverse("portal:catalogue"))

    codes = [card.service.code for card in response.context["cards"]]
    # Stores first (category position); ERP is for finance, DC internal, OLD retired.
    assert codes == ["POS", "RETAILAPP", "EMAIL"]
    assert [c.code for c in response.context["categories"]] == ["STORE", "OFFICE"]


def test_someone_elses_department_sees_other_services(catalogue_data, org):
    accountant = factories.person(department=org["finance"])

    response = _client(accountant).get(reverse("portal:catalogue"))

    assert [card.service.code for card in response.context["cards"]] == ["EMAIL", "ERP"]


def test_names_follow_the_persons_language(clerk, catalogue_data):
    chinese = _client(clerk).get(reverse("portal:catalogue")).content.decode()
    english = _client(clerk, "en").get(reverse("portal:catalogue")).content.decode()

    assert "门店收银" in chinese
    assert "新增收银机" in chinese
    assert "门店系统" in chinese
    assert "Store checkout" not in chinese
    assert "Store checkout" in english
    assert "Additional checkout terminal" in english
    assert "Store systems" in english
    assert "门店收银" not in english


def test_a_category_narrows_the_list(clerk, catalogue_data):
    response = _client(clerk).get(reverse("portal:catalogue"), {"category": "OFFICE"})

    assert [card.service.code for card in response.context["cards"]] == ["EMAIL"]
    assert 'aria-current="page">办公与协作' in response.content.decode()


def test_search_finds_services_by_name_keyword_and_request_item(clerk, catalogue_data):
    client = _client(clerk)

    def codes(q: str) -> list[str]:
        return [card.service.code for card in client.get(reverse("portal:catalogue"),
                                                         {"q": q}).context["cards"]]

    assert codes("邮箱") == ["EMAIL"]
    assert codes("mailbox") == ["EMAIL"]
    assert codes("收银机") == ["POS"]
    assert codes("ERP") == []  # not offered to the clerk


def test_an_htmx_search_returns_only_the_results(clerk, catalogue_data):
    response = _client(clerk).get(reverse("portal:catalogue"), {"q": "邮"}, **HTMX)

    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "portal/_catalogue_results.html"
    assert "<html" not in html
    assert "企业邮箱" in html


def test_each_service_shows_its_items_with_the_promised_delivery(clerk, catalogue_data):
    response = _client(clerk, "en").get(reverse("portal:catalogue"))

    html = response.content.decode()
    cards = {card.service.code: card for card in response.context["cards"]}
    assert [i.code for i in cards["EMAIL"].items] == ["LIST", "MAILBOX"]
    assert "delivered within 1 working day" in html
    assert "delivered within 4 business hours" in html
    assert "delivered within 5 working days" in html


def test_the_incident_targets_are_those_of_the_sla_that_applies_to_the_person(
    clerk, catalogue_data, calendar, org
):
    mail, pos = catalogue_data["mail"], catalogue_data["pos"]
    _sla("SLA-MAIL", mail, calendar, {"1": 15, "3": 60}, {"1": 240, "3": 960})
    _sla("SLA-MAIL-RETAIL", mail, calendar, {"1": 10, "3": 30}, {"1": 120, "3": 480},
         customer_department=org["retail"])
    _sla("SLA-POS-STORES", pos, calendar, {"1": 10}, {"1": 120},
         customer_site_group=org["group"])
    outsider = factories.person()

    mine = _client(clerk, "en").get(reverse("portal:catalogue"))
    theirs = _client(outsider).get(reverse("portal:catalogue"))

    promises = {c.service.code: c.promise for c in mine.context["cards"]}
    assert promises["EMAIL"].agreement.code == "SLA-MAIL-RETAIL"  # the parent department's
    assert promises["POS"].agreement.code == "SLA-POS-STORES"  # through the store's group
    assert promises["RETAILAPP"] is None
    assert [(r.priority, r.first_response, r.resolution) for r in promises["EMAIL"].rows] == [
        (1, 10, 120), (3, 30, 480),
    ]
    html = mine.content.decode()
    assert "first answer within 10 business minutes to 30 business minutes" in html
    assert "fixed within 2 business hours to 1 working day" in html
    assert "first answer within 10 business minutes; fixed within 2 business hours." in " ".join(
        html.split()
    )
    assert {c.service.code: c.promise.agreement.code for c in theirs.context["cards"]
            if c.promise} == {"EMAIL": "SLA-MAIL"}


def test_the_catalogue_page_has_a_query_cap(clerk, calendar, org, desk,
                                            django_assert_max_num_queries):
    owner, team = factories.person(roles=(Role.SERVICE_OWNER,)), factories.team()
    for n in range(8):
        service = factories.service(code=f"S{n}", owner=owner, support_team=team)
        _item(service, f"I{n}", f"申请{n}")
        _sla(f"SLA-{n}", service, calendar, {"1": 15}, {"1": 240})
    client = _client(clerk)
    client.get(reverse("portal:catalogue"))  # session and language settled

    # A fixed part (session, user, roles, categories, services, items, popular items, metrics)
    # plus one agreement look-up per service (sla.services.matching.agreements_for).
    with django_assert_max_num_queries(12 + 8):
        response = client.get(reverse("portal:catalogue"))

    assert len(response.context["cards"]) == 8
    assert all(card.promise for card in response.context["cards"])


def test_home_offers_the_catalogue_and_the_popular_items(clerk, catalogue_data):
    html = _client(clerk).get(reverse("portal:home")).content.decode()

    assert reverse("portal:catalogue") in html
    assert f'{reverse("portal:service", args=["EMAIL"])}#item-LIST' in html


# ---------- a service's page ----------

def test_a_service_page_shows_items_approval_and_the_promise_per_priority(
    clerk, catalogue_data, calendar
):
    _sla("SLA-MAIL", catalogue_data["mail"], calendar, {"1": 15, "3": 60}, {"1": 240, "3": 960})

    response = _client(clerk, "en").get(reverse("portal:service", args=["email"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert [i.code for i in response.context["items"]] == ["LIST", "MAILBOX"]
    assert 'id="item-MAILBOX"' in html
    assert "New mailbox" in html
    assert "No approval" in html
    assert [(r.priority, r.first_response, r.resolution)
            for r in response.context["promise"].rows] == [(1, 15, 240), (3, 60, 960)]
    assert "2 working days" in html
    assert unlabelled_controls(html) == []


def test_a_service_the_person_may_not_use_is_404(clerk, catalogue_data):
    client = _client(clerk)

    assert client.get(reverse("portal:service", args=["ERP"])).status_code == 404
    assert client.get(reverse("portal:service", args=["DC"])).status_code == 404


def test_the_catalogue_pages_label_every_control(clerk, catalogue_data):
    client = _client(clerk)

    for url in (reverse("portal:catalogue"), reverse("portal:home"),
                reverse("portal:catalogue") + "?q=邮&category=OFFICE"):
        assert unlabelled_controls(client.get(url).content.decode()) == []


# ---------- the promise on a ticket ----------

def test_a_ticket_shows_the_customer_promise_only(clerk, catalogue_data, calendar, desk):
    mail = catalogue_data["mail"]
    _sla("SLA-MAIL", mail, calendar, {"1": 15}, {"1": 240})
    ola = sla.agreement_create(actor=None, code="OLA-DESK", name="服务台运营协议", kind="ola",
                               team=desk, service=mail, valid_from=dt.date(2020, 1, 1))
    sla.metric_set(actor=None, agreement=ola, kind="resolution", calendar=calendar,
                   targets={"1": 120}, start_states=["new"], stop_states=["resolved"])
    sla.agreement_activate(actor=None, agreement=ola)
    ticket = factories.memo(requester=clerk, title="邮箱收不到邮件")
    sla.clocks_attach(record=ticket, service=mail, state="new", priority=1, team=desk,
                      department=clerk.department,
                      at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))

    response = _client(clerk, "en").get(reverse("portal:record", args=[ticket.number]))

    html = response.content.decode()
    assert [c.agreement.code for c in response.context["sla_clocks"]] == ["SLA-MAIL"] * 2
    assert "Our promise" in html
    assert "by 2026-03-02 09:15" in html  # first response, Asia/Shanghai
    assert "by 2026-03-02 14:00" in html  # resolution: 240 business minutes, lunch excluded
    assert "OLA-DESK" not in html


def test_a_ticket_without_clocks_shows_no_promise(clerk):
    ticket = factories.memo(requester=clerk)

    html = _client(clerk).get(reverse("portal:record", args=[ticket.number])).content.decode()

    assert 'id="sla"' not in html
