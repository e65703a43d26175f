from django.apps import AppConfig


class SlaConfig(AppConfig):
    """Business calendars, service level agreements and the SLA clock engine (8.3.3)."""

    name = "steward.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from django.core import checks

        from steward.core import outbox
        from steward.sla.checks import calendar_coverage
        from steward.sla.models import SlaMilestone
        from steward.sla.tasks import enqueue_milestone

        outbox.register(SlaMilestone, enqueue_milestone)
        checks.register(calendar_coverage, "steward", "database")
