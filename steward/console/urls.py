from django.urls import path

from steward.console import views

urlpatterns = [
    path("", views.home, name="home"),
]
