from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Service reporting (ISO/IEC 20000-1 9.4): read-only measures, scorecards and exports."""

    name = "steward.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from steward.reports import csat
        from steward.reports.csat_provider import satisfaction_figures

        csat.PROVIDER = satisfaction_figures
