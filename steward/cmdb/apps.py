from django.apps import AppConfig


class CmdbConfig(AppConfig):
    """Configuration management (ISO/IEC 20000-1 8.2.6): configuration items and relations."""

    name = "steward.cmdb"
    label = "cmdb"
    verbose_name = "Configuration management"
