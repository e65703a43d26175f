from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The service catalogue (ISO/IEC 20000-1 8.2.4): services and their request items."""

    name = "steward.catalogue"
    label = "catalogue"
    verbose_name = "Service catalogue"
