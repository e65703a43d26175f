from django.apps import AppConfig


class WorkItemsConfig(AppConfig):
    name = "steward.workitems"
    label = "workitems"
    verbose_name = "Work items"
