"""Console › Service levels: calendars (warnings, exceptions, official and confirmed years,
iCalendar import), agreements, the compliance report (figures, chart, missed months, exports)
and the SLA panel of the record page. Thin wiring tests: the rules are tested with the services.
"""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from steward.audit.models import AuditEntry
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity import services as identity
from steward.identity.models import Person, Role
from steward.sla import compile as compile_module
from steward.sla import services
from steward.sla.models import (
    CalendarException,
    CalendarKind,
    CalendarYear,
    ExceptionSource,
    ImprovementAction,
)
from steward.testing import factories

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
OFFICE = {d: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] for d in range(5)}
ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Retail//Store days//ZH\r
BEGIN:VEVENT\r
UID:anniv-2026@retail.example.cn\r
DTSTART;VALUE=DATE:20260618\r
DTEND;VALUE=DATE:20260620\r
SUMMARY:\xe5\x85\xac\xe5\x8f\xb8\xe5\x91\xa8\xe5\xb9\xb4\xe5\xba\x86\r
END:VEVENT\r
END:VCALENDAR\r
"""


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Compiled calendars are cached per (id, version) in the process; SQLite reuses ids after
    a test's rollback, so a later test could get this test's calendar. Leave nothing behind."""
    compile_module._cache.clear()
    yield
    compile_module._cache.clear()


def _client(person: Person, language: str = "en") -> Client:
    """Signed in, in English unless asked otherwise (the assertions name English text)."""
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
def china():
    return services.calendar_create(actor=None, code="CN", name="中国大陆工作日",
                                    kind=CalendarKind.CHINA, weekly=OFFICE)


@pytest.fixture
def office():
    return services.calendar_create(actor=None, code="OFFICE", name="办公时间",
                                    name_en="Office hours", kind=CalendarKind.WEEKLY,
                                    weekly=OFFICE)


@pytest.fixture
def agreement(office):
    """The SLA of the sla tests, on a weekly calendar (no year is ever missing)."""
    service = factories.service(code="POS", name="门店收银")
    agreement = services.agreement_create(
        actor=None, code="SLA-POS", name="门店收银服务级别协议", service=service,
        valid_from=dt.date(2026, 1, 1), monthly_limit=2,
    )
    services.metric_set(
        actor=None, agreement=agreement, kind="first_response", calendar=office,
        targets={"1": 30, "2": 60, "3": 240}, start_states=["new"],
        stop_states=["in_progress", "resolved"], cancel_states=["cancelled"],
    )
    services.metric_set(
        actor=None, agreement=agreement, kind="resolution", calendar=office,
        targets={"1": 240, "2": 480, "3": 960}, start_states=["new"], pause_states=["on_hold"],
        stop_states=["resolved"], cancel_states=["cancelled"],
    )
    services.agreement_activate(actor=None, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


# ---------- access ----------

@pytest.mark.parametrize("url", [
    "/console/service-levels/", "/console/service-levels/calendars/",
    "/console/service-levels/compliance/",
])
def test_a_requester_is_sent_from_the_service_level_pages_to_the_portal(url):
    response = _client(factories.person()).get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_the_navigation_leads_to_the_catalogue_and_service_levels(agent):
    html = _client(agent).get("/console/").content.decode()

    assert f'href="{reverse("console:services")}" data-shortcut="g c"' in html
    assert f'href="{reverse("console:agreements")}" data-shortcut="g l"' in html
    assert reverse("console:sla_report") in html


def test_unknown_calendars_and_agreements_are_404(agent):
    client = _client(agent)

    assert client.get(reverse("console:calendar", args=["NOPE"])).status_code == 404
    assert client.get(reverse("console:agreement", args=["NOPE"])).status_code == 404


# ---------- calendars ----------

def test_the_calendar_list_flags_china_calendars_missing_a_year(agent, china, office,
                                                                 django_assert_max_num_queries):
    services.calendar_confirm_year(actor=None, calendar=china, year=timezone.localdate().year)
    client = _client(agent)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("console:calendars"))

    rows = {row.calendar.code: row for row in response.context["rows"]}
    assert rows["CN"].missing == [timezone.localdate().year + 1]
    assert rows["OFFICE"].missing == []
    assert "badge-danger" in response.content.decode()


def test_the_calendar_page_warns_when_next_year_is_not_covered(agent, china):
    this_year = timezone.localdate().year
    services.calendar_confirm_year(actor=None, calendar=china, year=this_year)

    html = _client(agent).get(reverse("console:calendar", args=["cn"])).content.decode()

    assert 'class="notice notice-warn" role="alert"' in html
    assert f"No official or confirmed holidays for {this_year + 1}." in html
    assert "cannot be computed" in html


def test_the_warning_goes_once_both_years_are_covered(agent, china):
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        services.calendar_confirm_year(actor=None, calendar=china, year=year)

    html = _client(agent).get(reverse("console:calendar", args=["CN"])).content.decode()

    assert "notice-warn" not in html


def test_the_overview_lists_calendars_that_need_next_years_holidays(agent, china):
    html = _client(agent).get("/console/").content.decode()

    assert reverse("console:calendar", args=["CN"]) in html
    assert "notice-warn" in html


def test_a_weekly_calendar_never_warns_and_shows_its_hours(agent, office):
    response = _client(agent).get(reverse("console:calendar", args=["OFFICE"]))

    html = response.content.decode()
    assert "notice-warn" not in html
    assert "09:00–12:00, 13:00–18:00" in html
    assert response.context["missing_years"] == []


def test_the_calendar_page_shows_exceptions_of_the_chosen_year_with_source_and_version(
    agent, china
):
    services.calendar_load_china_year(actor=None, calendar=china, year=2026)
    services.calendar_set_exception(actor=None, calendar=china, date=dt.date(2025, 12, 31),
                                    kind="custom", windows=[[540, 720]], name="年终盘点")

    response = _client(agent).get(reverse("console:calendar", args=["CN"]), {"year": "2026"})

    html = response.content.decode()
    dates = [e.date for e in response.context["exceptions"]]
    assert dt.date(2026, 2, 17) in dates  # Spring Festival
    assert dt.date(2025, 12, 31) not in dates
    assert "chinesecalendar" in html
    assert response.context["exceptions"][0].source_version in html
    assert [y.year for y in response.context["covered_years"]] == [2026]
    assert 2025 in response.context["year_choices"]


def test_an_agent_sees_no_administration_forms_and_cannot_post_them(agent, china):
    services.calendar_set_exception(actor=None, calendar=china, date=dt.date(2026, 10, 8),
                                    kind="holiday")
    client = _client(agent)
    html = client.get(reverse("console:calendar", args=["CN"])).content.decode()

    added = client.post(reverse("console:calendar_exception", args=["CN"]),
                        {"exception-date": "2026-10-09", "exception-kind": "holiday"})
    removed = client.post(reverse("console:calendar_exception_remove",
                                  args=["CN", "2026-10-08"]))
    confirmed = client.post(reverse("console:calendar_confirm_year", args=["CN"]),
                            {"confirm-year": "2031"})

    assert reverse("console:calendar_exception", args=["CN"]) not in html
    assert (added.status_code, removed.status_code, confirmed.status_code) == (403, 403, 403)
    assert [e.date for e in CalendarException.objects.all()] == [dt.date(2026, 10, 8)]
    assert CalendarYear.objects.count() == 0


def test_an_administrator_adds_and_replaces_a_manual_exception(admin, office):
    url = reverse("console:calendar_exception", args=["OFFICE"])
    client = _client(admin)

    added = client.post(url, {"exception-date": "2026-10-09", "exception-kind": "holiday",
                              "exception-name": "公司周年"})
    replaced = client.post(url, {"exception-date": "2026-10-09", "exception-kind": "custom",
                                 "exception-windows": "09:00-12:00", "exception-name": "半天"})

    assert added.status_code == replaced.status_code == 302
    calendar_url = reverse("console:calendar", args=["OFFICE"])
    assert added["Location"] == f"{calendar_url}?year=2026#exceptions"
    exception = CalendarException.objects.get()
    assert (exception.kind, exception.windows, exception.name, exception.source) == (
        "custom", [[540, 720]], "半天", ExceptionSource.MANUAL,
    )
    office.refresh_from_db()
    assert office.version == 3


def test_unreadable_hours_are_a_form_error_and_overlaps_a_service_error(admin, office):
    url = reverse("console:calendar_exception", args=["OFFICE"])
    client = _client(admin)

    unreadable = client.post(url, {"exception-date": "2026-10-09", "exception-kind": "custom",
                                   "exception-windows": "morning"})
    overlapping = client.post(url, {"exception-date": "2026-10-09", "exception-kind": "custom",
                                    "exception-windows": "09:00-12:00, 11:00-13:00"})

    assert unreadable.status_code == overlapping.status_code == 422
    assert 'id="id_exception-windows_error"' in unreadable.content.decode()
    assert "overlap" in overlapping.content.decode()
    assert 'id="id_exception-windows_error"' in overlapping.content.decode()
    assert CalendarException.objects.count() == 0


def test_an_administrator_removes_an_exception(admin, office):
    services.calendar_set_exception(actor=None, calendar=office, date=dt.date(2026, 10, 9),
                                    kind="holiday")

    response = _client(admin).post(
        reverse("console:calendar_exception_remove", args=["OFFICE", "2026-10-09"])
    )

    assert response.status_code == 302
    assert CalendarException.objects.count() == 0


def test_an_administrator_loads_an_official_year(admin, china):
    response = _client(admin).post(reverse("console:calendar_load_year", args=["CN"]),
                                   {"official-year": "2026"})

    assert response.status_code == 302
    loaded = CalendarYear.objects.get(calendar=china)
    assert (loaded.year, loaded.source) == (2026, ExceptionSource.OFFICIAL)
    assert CalendarException.objects.filter(calendar=china, date__year=2026).count() > 20


def test_a_year_without_official_data_is_a_form_error(admin, china):
    response = _client(admin).post(reverse("console:calendar_load_year", args=["CN"]),
                                   {"official-year": "2099"})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_official-year_error"' in html
    assert "2099" in html
    assert CalendarYear.objects.count() == 0


def test_an_administrator_confirms_a_year(admin, china):
    response = _client(admin).post(reverse("console:calendar_confirm_year", args=["CN"]),
                                   {"confirm-year": "2031"})

    assert response.status_code == 302
    confirmed = CalendarYear.objects.get(calendar=china)
    assert (confirmed.year, confirmed.source) == (2031, ExceptionSource.MANUAL)


def test_an_ics_upload_imports_all_day_events_as_holidays(admin, office):
    upload = SimpleUploadedFile("store-days.ics", ICS, content_type="text/calendar")

    response = _client(admin).post(reverse("console:calendar_import_ics", args=["OFFICE"]),
                                   {"ics-file": upload})

    assert response.status_code == 302
    days = CalendarException.objects.filter(calendar=office).order_by("date")
    assert [(d.date, d.kind, d.name, d.source, d.source_version) for d in days] == [
        (dt.date(2026, 6, 18), "holiday", "公司周年庆", "ics", "store-days.ics"),
        (dt.date(2026, 6, 19), "holiday", "公司周年庆", "ics", "store-days.ics"),
    ]


def test_a_file_that_is_not_icalendar_is_a_form_error(admin, office):
    upload = SimpleUploadedFile("notes.ics", b"hello", content_type="text/calendar")
    client = _client(admin)
    entries = AuditEntry.objects.count()

    response = client.post(reverse("console:calendar_import_ics", args=["OFFICE"]),
                                   {"ics-file": upload})

    assert response.status_code == 422
    assert 'id="id_ics-file_error"' in response.content.decode()
    assert CalendarException.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_the_administrators_calendar_page_labels_every_control(admin, china):
    html = _client(admin).get(reverse("console:calendar", args=["CN"])).content.decode()

    assert reverse("console:calendar_import_ics", args=["CN"]) in html
    assert unlabelled_controls(html) == []


# ---------- agreements ----------

def test_the_agreement_list_has_a_query_cap(agent, agreement, office,
                                            django_assert_max_num_queries):
    for n in range(10):
        other = services.agreement_create(
            actor=None, code=f"OLA-{n}", name=f"运营协议{n}", kind="ola", team=factories.team(),
            service=agreement.service, valid_from=dt.date(2026, 1, 1),
        )
        services.metric_set(actor=None, agreement=other, kind="resolution", calendar=office,
                            targets={"1": 60}, start_states=["new"], stop_states=["resolved"])
    client = _client(agent)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("console:agreements"))

    assert len(response.context["agreements"]) == 11
    filtered = client.get(reverse("console:agreements"), {"kind": "ola"})
    assert len(filtered.context["agreements"]) == 10


def test_an_agreement_page_shows_targets_conditions_thresholds_and_limits(agent, agreement):
    response = _client(agent).get(reverse("console:agreement", args=["sla-pos"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["targets"].priorities == ["1", "2", "3"]
    rows = {r.kind: r.targets for r in response.context["targets"].rows}
    assert rows == {"first_response": [30, 60, 240], "resolution": [240, 480, 960]}
    assert [p for p, _level in response.context["escalation"]] == [50, 75, 90, 100]
    assert "<code>on_hold</code>" in html
    assert "95 %" in html  # compliance target
    assert "2 records a month" in html
    assert "2 working days" in html  # 960 business minutes


# ---------- the compliance report ----------

def _resolve(agreement, n: int, minutes: int, day: int = 2, month: int = 3):
    record = factories.memo(requester=factories.person(), number=f"MEM-7{n:05d}")
    start = at(2026, month, day, 9, 0)
    services.clocks_attach(record=record, service=agreement.service, state="new", priority=3,
                           at=start)
    services.clocks_on_state_change(record=record, state="resolved",
                                    at=start + dt.timedelta(minutes=minutes))
    return record


@pytest.fixture
def march(agreement):
    """Four records in March 2026 (first response target 240 business minutes: two met, two
    breached) and one in April (met). Lunch (12:00-13:00) is not business time."""
    records = [_resolve(agreement, n, minutes) for n, minutes in enumerate([60, 120, 360, 480])]
    records.append(_resolve(agreement, 9, 30, day=1, month=4))
    return records


def test_the_report_defaults_to_the_last_six_months(agent):
    response = _client(agent).get(reverse("console:sla_report"))

    form = response.context["form"]
    today = timezone.localdate()
    assert response.status_code == 200
    assert form.cleaned_data["end"] == today.replace(day=1)
    assert len(response.context["trend_rows"]) == 6
    assert form.cleaned_data["by"] == ["agreement", "metric"]


def test_the_report_shows_the_figures_of_a_small_data_set(agent, march):
    response = _client(agent).get(reverse("console:sla_report"),
                                  {"start": "2026-03", "end": "2026-04", "by": ["metric"]})

    html = response.content.decode()
    figures = {f.cells[0]: f.row for f in response.context["figures"]}
    first, resolution = figures["First response"], figures["Resolution"]
    assert (first.met, first.breached, first.compliance) == (3, 2, Decimal("60.00"))
    assert (resolution.met, resolution.breached, resolution.compliance) == (5, 0, Decimal("100.00"))
    # Elapsed business minutes 60, 120, 300 (360 − lunch), 420 (480 − lunch) and 30.
    assert (first.mean_minutes, first.p90_minutes) == (Decimal("186.0"), Decimal("420.0"))
    assert "60.00 %" in html
    assert 'id="def-p90"' in html
    assert 'aria-describedby="def-p90"' in html
    assert "nearest-rank" in html  # the definition next to the figure


def test_the_report_speaks_chinese_by_default(agent, march):
    chinese = _client(agent, language="").get(reverse("console:sla_report"),
                                              {"start": "2026-03", "end": "2026-04"})
    english = _client(agent).get(reverse("console:sla_report"),
                                 {"start": "2026-03", "end": "2026-04"})

    assert '<html lang="zh-Hans">' in chinese.content.decode()
    assert "Months below target" not in chinese.content.decode()
    assert "Months below target" in english.content.decode()


def test_the_report_draws_the_trend_as_an_accessible_svg_with_the_numbers_in_a_table(
    agent, march
):
    response = _client(agent).get(reverse("console:sla_report"),
                                  {"start": "2026-02", "end": "2026-04", "by": ["metric"]})

    html = response.content.decode()
    chart = response.context["chart"]
    assert '<svg class="line-chart"' in html
    assert '<title id="trend-title">' in html
    assert 'aria-labelledby="trend-title trend-desc"' in html
    assert [s.key for s in chart.series] == ["first_response", "resolution"]
    assert [(p.month, p.value) for p in chart.series[0].points] == [
        ("2026-03", Decimal("50.00")), ("2026-04", Decimal("100.00")),
    ]
    assert chart.series[0].segments  # March and April are joined by a line
    assert response.context["trend_rows"][0] == ("2026-02", [None, None])
    assert response.context["trend_rows"][1] == ("2026-03", [Decimal("50.00"), Decimal("100.00")])
    assert "<th scope=\"row\">2026-03</th>" in html


def test_the_report_lists_missed_months_and_workload(agent, march):
    response = _client(agent).get(reverse("console:sla_report"),
                                  {"start": "2026-03", "end": "2026-04"})

    missed = [(r.missed.metric, r.missed.month, r.missed.compliance, r.form)
              for r in response.context["missed"]]
    assert missed == [("first_response", "2026-03", Decimal("50.00"), None)]  # agents may not act
    assert response.context["workload"] == [
        {"agreement": "SLA-POS", "month": "2026-03", "records": 4, "limit": 2, "over": True},
        {"agreement": "SLA-POS", "month": "2026-04", "records": 1, "limit": 2, "over": False},
    ]
    html = response.content.decode()
    assert [c.record_number for c in response.context["breached"]] == ["MEM-700003", "MEM-700002"]
    assert reverse("console:record", args=["MEM-700003"]) in html


def test_an_administrator_records_the_improvement_action_of_a_missed_month(
    admin, agent, agreement, march
):
    report = reverse("console:sla_report")
    query = {"start": "2026-03", "end": "2026-04"}
    client = _client(admin)
    page = client.get(report, query)
    form = page.context["missed"][0].form

    response = client.post(
        f"{reverse('console:sla_improvement')}?start=2026-03&end=2026-04",
        {"agreement": "SLA-POS", "metric": "first_response", "period": "2026-03",
         "description": "增加早班服务台人手", "owner": "agent", "due_date": "2026-04-30"},
    )

    assert form is not None
    assert form.initial["owner"] == agreement.service.owner.username
    assert unlabelled_controls(page.content.decode()) == []
    assert response.status_code == 302
    assert response["Location"] == f"{report}?start=2026-03&end=2026-04#missed"
    action = ImprovementAction.objects.get()
    assert (action.metric, action.period, action.owner, action.due_date) == (
        "first_response", "2026-03", agent, dt.date(2026, 4, 30),
    )
    after = client.get(report, query)
    assert after.context["missed"][0].missed.action == action
    assert after.context["missed"][0].form is None


def test_an_improvement_action_refused_by_the_service_is_a_form_error(admin, agent, march):
    url = f"{reverse('console:sla_improvement')}?start=2026-03&end=2026-04"
    data = {"agreement": "SLA-POS", "metric": "first_response", "period": "2026-03",
            "description": "增加人手", "owner": "agent", "due_date": "2026-04-30"}
    _client(admin).post(url, data)

    twice = _client(admin).post(url, data)
    denied = _client(agent).post(url, {**data, "period": "2026-04"})
    unknown_owner = _client(admin).post(url, {**data, "owner": "ghost"})

    assert twice.status_code == 422
    assert 'class="form-errors" role="alert"' in twice.content.decode()
    assert denied.status_code == 403
    assert unknown_owner.status_code == 422
    assert ImprovementAction.objects.count() == 1


def test_the_csv_and_xlsx_links_return_the_same_figures(agent, march):
    client = _client(agent)
    page = client.get(reverse("console:sla_report"),
                      {"start": "2026-03", "end": "2026-04", "by": ["metric"]})

    csv_response = client.get(page.context["csv_url"])
    xlsx_response = client.get(page.context["xlsx_url"])

    assert page.context["csv_url"] in page.content.decode().replace("&amp;", "&")
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"] == (
        'attachment; filename="sla-compliance-20260301-20260501.csv"'
    )
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "metric,met,breached,total,compliance_pct,mean_minutes,p90_minutes"
    assert lines[1].startswith("first_response,3,2,5,60.0,")
    assert xlsx_response.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))][:4] == [
        "first_response", 3, 2, 5,
    ]


def test_an_invalid_period_is_a_form_error(agent):
    response = _client(agent).get(reverse("console:sla_report"),
                                  {"start": "2026-05", "end": "2026-03"})

    assert 'id="id_end_error"' in response.content.decode()
    assert "figures" not in response.context


def test_the_report_page_labels_every_control(agent, march):
    html = _client(agent).get(reverse("console:sla_report"),
                              {"start": "2026-03", "end": "2026-04"}).content.decode()

    assert unlabelled_controls(html) == []


# ---------- the SLA panel of a record ----------

def test_the_record_page_shows_the_clocks_with_due_times_in_the_users_zone(agent, agreement):
    desk = factories.team(members=(agent,))
    record = factories.memo(requester=factories.person(), team=desk, title="收银机无法开机")
    services.clocks_attach(record=record, service=agreement.service, state="new", priority=1,
                           at=at(2026, 3, 2, 9, 0))
    services.clocks_on_state_change(record=record, state="in_progress", at=at(2026, 3, 2, 9, 20))
    identity.person_update(actor=agent, person=agent, changes={"time_zone": "Europe/London"})

    response = _client(agent).get(reverse("console:record", args=[record.number]))

    html = response.content.decode()
    rows = {row.clock.kind: row for row in response.context["sla_clocks"]}
    assert 'id="sla"' in html
    assert rows["first_response"].clock.state == "met"
    assert rows["first_response"].status.percent == pytest.approx(66.7)
    assert reverse("console:agreement", args=["SLA-POS"]) in html
    # Resolution: 240 business minutes from Monday 09:00 Shanghai → 14:00 Shanghai = 06:00 London.
    assert rows["resolution"].clock.due_at == at(2026, 3, 2, 14, 0)
    assert "2026-03-02 06:00" in html
    assert "Europe/London" in html
    assert '<meter min="0" max="100" low="50" high="90" optimum="0" value="66.7"' in html


def test_a_record_without_clocks_has_no_sla_panel(agent):
    record = factories.memo(requester=factories.person(), team=factories.team(members=(agent,)))

    response = _client(agent).get(reverse("console:record", args=[record.number]))

    assert response.status_code == 200
    assert 'id="sla"' not in response.content.decode()


def test_every_control_on_the_service_level_and_catalogue_pages_has_a_label(
    admin, agreement, march
):
    factories.request_item(service=agreement.service, code="TONER",
                           form=[{"key": "printer", "type": "text", "label": "打印机位置"}],
                           tasks=[{"title": "更换", "team": agreement.service.support_team.code}])
    client = _client(admin)
    pages = [
        reverse("console:services"), reverse("console:service", args=["POS"]),
        reverse("console:service_edit", args=["POS"]),
        reverse("console:request_item", args=["TONER"]),
        reverse("console:agreements"), reverse("console:agreement", args=["SLA-POS"]),
        reverse("console:calendars"), reverse("console:calendar", args=["OFFICE"]),
        reverse("console:sla_report") + "?start=2026-03&end=2026-04",
        reverse("console:record", args=[march[0].number]),
    ]

    found = {page: unlabelled_controls(client.get(page).content.decode()) for page in pages}

    assert found == {page: [] for page in pages}
