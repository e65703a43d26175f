"""Console URLs of satisfaction (mounted at /console/satisfaction/)."""

from django.urls import path

from steward.satisfaction import views

app_name = "satisfaction"
urlpatterns = [
    path("", views.csat_page, name="csat"),
    path("csat.<str:fmt>", views.csat_export, name="csat_export"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<str:number>/", views.complaint_page, name="complaint"),
    path("complaints/<str:number>/note/", views.complaint_note, name="complaint_note"),
    path("complaints/<str:number>/assign/", views.complaint_assign, name="complaint_assign"),
    path("complaints/<str:number>/<str:action>/", views.complaint_action,
         name="complaint_action"),
]
