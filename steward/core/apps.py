from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from steward.core import checks, jobs

        checks.register()
        jobs.connect_metrics()
