from django.urls import path

from steward.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.delivery_list, name="deliveries"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
    path("test/", views.send_test, name="test"),
    path("robots/", views.robot_list, name="robots"),
    path("robots/<int:robot_id>/", views.robot_edit, name="robot_edit"),
    path("robots/<int:robot_id>/delete/", views.robot_delete, name="robot_delete"),
    path("egress/", views.allow_rule_list, name="egress"),
    path("egress/<int:rule_id>/delete/", views.allow_rule_delete, name="egress_delete"),
]
