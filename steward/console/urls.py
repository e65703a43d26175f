"""Console routes. ``home`` (/) sends each person to their face; the console lives under
/console/ in the ``console`` namespace."""

from django.urls import include, path

from steward.console.views import (
    agreements,
    audit,
    calendars,
    catalogue,
    org,
    overview,
    people,
    records,
    reports,
)

console_patterns = [
    path("", overview.overview, name="overview"),
    path("people/", people.people, name="people"),
    path("people/<int:person_id>/", people.person, name="person"),
    path("people/<int:person_id>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_id>/roles/", people.person_roles, name="person_roles"),
    path("people/<int:person_id>/deactivate/", people.person_deactivate,
         name="person_deactivate"),
    path("people/<int:person_id>/unlock/", people.person_unlock, name="person_unlock"),
    path("teams/", org.teams, name="teams"),
    path("teams/<int:team_id>/", org.team, name="team"),
    path("teams/<int:team_id>/members/", org.team_members, name="team_members"),
    path("departments/", org.departments, name="departments"),
    path("sites/", org.sites, name="sites"),
    path("search/", records.search, name="search"),
    path("records/<str:number>/", records.record, name="record"),
    path("records/<str:number>/timeline/", records.record_timeline, name="record_timeline"),
    path("records/<str:number>/attachments/", records.record_attachments,
         name="record_attachments"),
    path("attachments/<int:attachment_id>/", records.attachment, name="attachment"),
    path("catalogue/", catalogue.services_list, name="services"),
    path("catalogue/services/<str:code>/", catalogue.service_detail, name="service"),
    path("catalogue/services/<str:code>/edit/", catalogue.service_edit, name="service_edit"),
    path("catalogue/items/<str:code>/", catalogue.request_item_detail, name="request_item"),
    path("service-levels/", agreements.agreements, name="agreements"),
    path("service-levels/agreements/<str:code>/", agreements.agreement, name="agreement"),
    path("service-levels/calendars/", calendars.calendars, name="calendars"),
    path("service-levels/calendars/<str:code>/", calendars.calendar, name="calendar"),
    path("service-levels/calendars/<str:code>/exceptions/", calendars.calendar_exception,
         name="calendar_exception"),
    path("service-levels/calendars/<str:code>/exceptions/<str:day>/remove/",
         calendars.calendar_exception_remove, name="calendar_exception_remove"),
    path("service-levels/calendars/<str:code>/official-years/", calendars.calendar_load_year,
         name="calendar_load_year"),
    path("service-levels/calendars/<str:code>/confirmed-years/", calendars.calendar_confirm_year,
         name="calendar_confirm_year"),
    path("service-levels/calendars/<str:code>/ics/", calendars.calendar_import_ics,
         name="calendar_import_ics"),
    path("service-levels/compliance/", reports.compliance_report, name="sla_report"),
    path("service-levels/compliance/improvements/", reports.improvement_create,
         name="sla_improvement"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/verify/", audit.audit_verify_view, name="audit_verify"),
]

urlpatterns = [
    path("", overview.home, name="home"),
    path("console/", include((console_patterns, "console"))),
]
