"""SLA API: calendars, agreements, clocks of a record, compliance reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from steward.core.errors import NotFound, ValidationFailed
from steward.core.refs import resolve
from steward.sla import exports, reporting, selectors, services
from steward.sla.compile import compiled
from steward.sla.schemas import (
    AgreementCreateIn,
    AgreementOut,
    CalendarCreateIn,
    CalendarOut,
    ClockOut,
    ComplianceRowOut,
    DueIn,
    DueOut,
    ExceptionIn,
    ExceptionOut,
    ImprovementIn,
    ImprovementOut,
    MetricIn,
    ServiceHoursIn,
    ServiceHoursOut,
    SlaExceptionIn,
    WeeklyIn,
    YearIn,
)
from steward.workitems.selectors import record_get_for

router = Router(tags=["sla"])


@router.get("/calendars", response=list[CalendarOut], operation_id="sla_calendars_list")
def calendars_list(request: HttpRequest) -> Any:
    return selectors.calendar_list_for(user=request.user)


@router.post("/calendars", response={201: CalendarOut}, operation_id="sla_calendars_create")
def calendars_create(request: HttpRequest, payload: CalendarCreateIn) -> Any:
    data = payload.dict()
    weekly = {int(k): [list(w) for w in v] for k, v in data.pop("weekly").items()}
    return Status(201, services.calendar_create(actor=request.user, weekly=weekly, **data))


@router.get("/calendars/{code}", response=CalendarOut, operation_id="sla_calendars_get")
def calendars_get(request: HttpRequest, code: str) -> Any:
    return selectors.calendar_get_for(user=request.user, code=code)


@router.put(
    "/calendars/{code}/weekly", response=CalendarOut, operation_id="sla_calendars_set_weekly"
)
def calendars_set_weekly(request: HttpRequest, code: str, payload: WeeklyIn) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    weekly = {int(k): [list(w) for w in v] for k, v in payload.weekly.items()}
    return services.calendar_set_weekly(actor=request.user, calendar=calendar, weekly=weekly)


@router.get(
    "/calendars/{code}/exceptions",
    response=list[ExceptionOut],
    operation_id="sla_calendars_exceptions",
)
def calendars_exceptions(request: HttpRequest, code: str, year: int | None = None) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    exceptions = calendar.exceptions.all()
    return exceptions.filter(date__year=year) if year else exceptions


@router.put(
    "/calendars/{code}/exceptions",
    response=ExceptionOut,
    operation_id="sla_calendars_set_exception",
)
def calendars_set_exception(request: HttpRequest, code: str, payload: ExceptionIn) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    return services.calendar_set_exception(
        actor=request.user,
        calendar=calendar,
        date=payload.date,
        kind=payload.kind,
        windows=[list(w) for w in payload.windows],
        name=payload.name,
    )


@router.post(
    "/calendars/{code}/official-years", response=CalendarOut, operation_id="sla_calendars_load_year"
)
def calendars_load_year(request: HttpRequest, code: str, payload: YearIn) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    services.calendar_load_china_year(actor=request.user, calendar=calendar, year=payload.year)
    return selectors.calendar_get_for(user=request.user, code=code)


@router.post(
    "/calendars/{code}/confirmed-years",
    response=CalendarOut,
    operation_id="sla_calendars_confirm_year",
)
def calendars_confirm_year(request: HttpRequest, code: str, payload: YearIn) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    services.calendar_confirm_year(actor=request.user, calendar=calendar, year=payload.year)
    return selectors.calendar_get_for(user=request.user, code=code)


@router.post(
    "/calendars/{code}/ics", response=list[ExceptionOut], operation_id="sla_calendars_import_ics"
)
def calendars_import_ics(request: HttpRequest, code: str, file: File[UploadedFile]) -> Any:
    calendar = selectors.calendar_get_for(user=request.user, code=code)
    return services.calendar_import_ics(
        actor=request.user, calendar=calendar, content=file.read(), source_name=file.name or ""
    )


@router.post("/calendars/{code}/due", response=DueOut, operation_id="sla_calendars_due")
def calendars_due(request: HttpRequest, code: str, payload: DueIn) -> Any:
    """When does a business duration that starts at ``start`` end on this calendar?"""
    from steward.sla.timemath import CalendarNotCovered

    calendar = selectors.calendar_get_for(user=request.user, code=code)
    try:
        due = compiled(calendar).add(payload.start, dt.timedelta(minutes=payload.minutes))
    except CalendarNotCovered as exc:
        raise ValidationFailed(str(exc), field="start") from None
    return {"start": payload.start, "minutes": payload.minutes, "due": due}


@router.get(
    "/service-hours/{service}", response=ServiceHoursOut, operation_id="sla_service_hours_get"
)
def service_hours_get(request: HttpRequest, service: str) -> Any:
    """The calendar during which a service is offered (404 when none is set)."""
    from steward.catalogue.selectors import service_get_for
    from steward.sla.models import ServiceHours

    found = service_get_for(user=request.user, code=service)
    hours = ServiceHours.objects.select_related("calendar").filter(service=found).first()
    if hours is None:
        raise NotFound(_("No hours of service are set."))
    return {"service": found.code, "calendar": hours.calendar.code}


@router.put(
    "/service-hours/{service}", response=ServiceHoursOut, operation_id="sla_service_hours_set"
)
def service_hours_put(request: HttpRequest, service: str, payload: ServiceHoursIn) -> Any:
    from steward.catalogue.selectors import service_get_for

    found = service_get_for(user=request.user, code=service)
    calendar = selectors.calendar_get_for(user=request.user, code=payload.calendar)
    services.service_hours_set(actor=request.user, service=found, calendar=calendar)
    return {"service": found.code, "calendar": calendar.code}


@router.get("/agreements", response=list[AgreementOut], operation_id="sla_agreements_list")
def agreements_list(request: HttpRequest) -> Any:
    return selectors.agreement_list_for(user=request.user)


@router.post("/agreements", response={201: AgreementOut}, operation_id="sla_agreements_create")
def agreements_create(request: HttpRequest, payload: AgreementCreateIn) -> Any:
    from steward.catalogue.models import Service
    from steward.identity.models import Department, SiteGroup, Team

    data = payload.dict()
    data = resolve(
        data,
        {
            "service": (Service, "code", "service"),
            "customer_department": (Department, "code", "customer_department"),
            "customer_site_group": (SiteGroup, "code", "customer_site_group"),
            "team": (Team, "code", "team"),
        },
    )
    agreement = services.agreement_create(actor=request.user, **data)
    return Status(201, selectors.agreement_get_for(user=request.user, code=agreement.code))


@router.put(
    "/agreements/{code}/metrics/{kind}",
    response=AgreementOut,
    operation_id="sla_agreements_set_metric",
)
def agreements_set_metric(request: HttpRequest, code: str, kind: str, payload: MetricIn) -> Any:
    agreement = selectors.agreement_get_for(user=request.user, code=code)
    data = payload.dict()
    data["calendar"] = selectors.calendar_get_for(user=request.user, code=data["calendar"])
    services.metric_set(actor=request.user, agreement=agreement, kind=kind, **data)
    return selectors.agreement_get_for(user=request.user, code=code)


@router.post(
    "/agreements/{code}/activate", response=AgreementOut, operation_id="sla_agreements_activate"
)
def agreements_activate(request: HttpRequest, code: str) -> Any:
    agreement = selectors.agreement_get_for(user=request.user, code=code)
    services.agreement_activate(actor=request.user, agreement=agreement)
    return selectors.agreement_get_for(user=request.user, code=code)


@router.post(
    "/agreements/{code}/retire", response=AgreementOut, operation_id="sla_agreements_retire"
)
def agreements_retire(request: HttpRequest, code: str) -> Any:
    agreement = selectors.agreement_get_for(user=request.user, code=code)
    services.agreement_retire(actor=request.user, agreement=agreement)
    return selectors.agreement_get_for(user=request.user, code=code)


@router.post(
    "/agreements/{code}/exceptions", response={201: None}, operation_id="sla_agreements_exception"
)
def agreements_exception(request: HttpRequest, code: str, payload: SlaExceptionIn) -> Any:
    agreement = selectors.agreement_get_for(user=request.user, code=code)
    services.sla_exception_create(actor=request.user, agreement=agreement, **payload.dict())
    return Status(201, None)


@router.post(
    "/agreements/{code}/improvements",
    response={201: ImprovementOut},
    operation_id="sla_agreements_improvement",
)
def agreements_improvement(request: HttpRequest, code: str, payload: ImprovementIn) -> Any:
    from steward.identity.models import Person

    agreement = selectors.agreement_get_for(user=request.user, code=code)
    data = payload.dict()
    owner = Person.objects.filter(pk=data.pop("owner_id"), is_active=True).first()
    if owner is None:
        raise ValidationFailed("owner_id: no such person", field="owner_id")
    return Status(
        201,
        services.improvement_action_create(
            actor=request.user, agreement=agreement, owner=owner, **data
        ),
    )


@router.get("/agreements/{code}", response=AgreementOut, operation_id="sla_agreements_get")
def agreements_get(request: HttpRequest, code: str) -> Any:
    return selectors.agreement_get_for(user=request.user, code=code)


@router.get("/records/{number}/clocks", response=list[ClockOut], operation_id="sla_record_clocks")
def record_clocks(request: HttpRequest, number: str) -> Any:
    record = record_get_for(user=request.user, number=number)
    result = []
    for clock in selectors.clocks_for_record(record=record):
        status = selectors.clock_status(clock)
        clock.percent = status.percent  # type: ignore[attr-defined]
        clock.remaining_seconds = status.remaining_seconds  # type: ignore[attr-defined]
        clock.target_minutes = clock.target_seconds // 60  # type: ignore[attr-defined]
        clock.elapsed_seconds = status.elapsed_seconds
        result.append(clock)
    return result


def _period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = end or today + dt.timedelta(days=1)
    start = start or end.replace(day=1)
    if start >= end:
        raise ValidationFailed("start: must be before end", field="start")
    return start, end


@router.get(
    "/reports/compliance", response=list[ComplianceRowOut], operation_id="sla_reports_compliance"
)
def reports_compliance(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "agreement,metric",
) -> Any:
    start, end = _period(start, end)
    rows = reporting.compliance(user=request.user, start=start, end=end, by=by.split(","))
    return [
        {
            "key": r.key,
            "met": r.met,
            "breached": r.breached,
            "total": r.total,
            "compliance": r.compliance,
            "mean_minutes": r.mean_minutes,
            "p90_minutes": r.p90_minutes,
        }
        for r in rows
    ]


@router.get(
    "/reports/compliance.{fmt}",
    operation_id="sla_reports_compliance_export",
    url_name="sla_reports_compliance_export",
    response={200: None},
)
def reports_compliance_export(
    request: HttpRequest,
    fmt: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: str = "agreement,metric",
) -> Any:
    start, end = _period(start, end)
    dims = [d for d in by.split(",") if d in reporting.DIMENSIONS]
    rows = reporting.compliance(user=request.user, start=start, end=end, by=dims)
    name = f"sla-compliance-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        response = HttpResponse(
            exports.compliance_csv(rows, dims), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.compliance_xlsx(rows, dims),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise ValidationFailed("fmt: use csv or xlsx", field="fmt")
