from django.urls import path

from steward.portal import catalogue, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", catalogue.service, name="service"),
    path("tickets/", views.records, name="records"),
    path("tickets/<str:number>/", views.record, name="record"),
    path("tickets/<str:number>/timeline/", views.record_timeline, name="record_timeline"),
    path("tickets/<str:number>/attachments/", views.record_attachments,
         name="record_attachments"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
