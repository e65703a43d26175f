from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "steward.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from steward.audit.context import mark_jobs_as_job_source

        mark_jobs_as_job_source()
