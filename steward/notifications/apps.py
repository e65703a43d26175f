from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"
