"""The requester's survey URLs under /portal/ (audited as the portal): the signed link (no
sign-in) and the rating form of the record page."""

from django.urls import path

from steward.satisfaction import views_public

app_name = "satisfaction_public"
urlpatterns = [
    path("portal/survey/<str:token>/", views_public.survey_link, name="rate"),
    path("portal/surveys/<int:survey_id>/rate/", views_public.survey_rate, name="portal_rate"),
]
