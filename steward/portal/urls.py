from django.urls import path

from steward.portal import approvals, catalogue, incidents, requests, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", catalogue.service, name="service"),
    path("catalogue/<str:code>/report/", incidents.report, name="report_service"),
    path("report/", incidents.report, name="report"),
    path("tickets/", views.records, name="records"),
    path("tickets/<str:number>/", views.record, name="record"),
    path("tickets/<str:number>/timeline/", views.record_timeline, name="record_timeline"),
    path("tickets/<str:number>/attachments/", views.record_attachments,
         name="record_attachments"),
    path("tickets/<str:number>/live/", incidents.incident_live, name="incident_live"),
    path("tickets/<str:number>/reply/", incidents.incident_reply, name="incident_reply"),
    path("tickets/<str:number>/confirm/", incidents.incident_confirm, name="incident_confirm"),
    path("tickets/<str:number>/reopen/", incidents.incident_reopen, name="incident_reopen"),
    path("tickets/<str:number>/cancel/", incidents.incident_cancel, name="incident_cancel"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("request/<str:code>/", requests.request_new, name="request_new"),
    path("tickets/<str:number>/progress/", requests.request_live, name="request_live"),
    path("tickets/<str:number>/cancel-request/", requests.request_cancel,
         name="request_cancel"),
    path("tickets/<str:number>/close-request/", requests.request_close, name="request_close"),
    path("tickets/<str:number>/message/", requests.request_reply, name="request_reply"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/<int:approval_id>/decide/", approvals.approval_decide,
         name="approval_decide"),
    path("approvals/delegations/", approvals.delegation_create, name="delegation_create"),
    path("approvals/delegations/<int:delegation_id>/revoke/", approvals.delegation_revoke,
         name="delegation_revoke"),
    path("approvals/link/<str:token>/", approvals.approval_link, name="approval_link"),
]
