from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "steward.identity"
    label = "identity"
    verbose_name = "Organisation"
