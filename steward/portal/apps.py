from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The requester portal: mobile-first self-service pages. No models."""

    name = "steward.portal"
    label = "portal"
    verbose_name = "Portal"
