from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The agent and manager console: dense, keyboard-friendly pages. No models."""

    name = "steward.console"
    label = "console"
    verbose_name = "Console"
