from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Incident management (ISO/IEC 20000-1 8.6.1): restore normal service as fast as possible."""

    name = "steward.incidents"
    label = "incidents"
    verbose_name = "Incidents"
