"""Fixtures of the notification tests: real local SMTP and HTTP servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steward.notifications.models import EgressAllowRule
from steward.notifications.tests import factories
from steward.notifications.tests.servers import (
    SMS_TOKEN,
    RobotServer,
    RunningRobotServer,
    SmtpServer,
)


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.STEWARD_EMAIL_DOMAIN = "steward.test"
    settings.DEFAULT_FROM_EMAIL = "Steward <steward@steward.test>"
    yield server
    server.stop()


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    """One HTTP server on 127.0.0.1 playing the webhook receiver, the chat robots and SMS."""
    server = RunningRobotServer()
    server.start()
    yield server.state
    server.stop()


@pytest.fixture
def allow_loopback() -> EgressAllowRule:
    """The administrator allow-lists 127.0.0.1, where the test servers listen."""
    return factories.allow_rule("127.0.0.1")


@pytest.fixture
def sms_provider(settings, robots: RobotServer) -> RobotServer:
    settings.STEWARD_SMS_URL = robots.sms_url
    settings.STEWARD_SMS_TOKEN = SMS_TOKEN
    settings.STEWARD_SMS_SENDER = "Steward"
    return robots
