from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Loads the demo organisation (a retail chain). Top layer: it may use every app's services."""

    name = "steward.demo"
    label = "demo"
    verbose_name = "Demo data"
