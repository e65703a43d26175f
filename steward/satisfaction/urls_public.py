"""The requester's survey URLs: the signed link (no sign-in) and the portal rating form."""

from django.urls import path

from steward.satisfaction import views_public

app_name = "satisfaction_public"
urlpatterns = [
    path("survey/<str:token>/", views_public.survey_link, name="rate"),
    path("portal/surveys/<int:survey_id>/rate/", views_public.survey_rate, name="portal_rate"),
]
