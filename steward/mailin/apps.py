from django.apps import AppConfig


class MailinConfig(AppConfig):
    """The inbound e-mail channel: mail to the service desk raises and updates records."""

    name = "steward.mailin"
    label = "mailin"
    verbose_name = "Inbound e-mail"
