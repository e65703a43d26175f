"""Fixtures of the inbound e-mail tests: the real sample messages, our own small messages,
and the real local SMTP server of the notification tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.identity.models import Role
from steward.notifications.tests.conftest import smtp  # noqa: F401 - fixture
from steward.testing import factories

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "data" / "email"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def sample(name: str) -> bytes:
    """A real message from the shared sample folder (the test is skipped without it)."""
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"the real sample messages are not here: {SAMPLES} (needs {name})")
    return path.read_bytes()


def fixture(name: str, **fields: str) -> bytes:
    """One of our own messages, with ``{placeholders}`` filled in."""
    raw = (FIXTURES / name).read_bytes()
    for key, value in fields.items():
        raw = raw.replace(f"{{{key}}}".encode(), value.encode())
    return raw


@pytest.fixture
def requester(db):
    """张伟, known to Steward under his address (stored in mixed case)."""
    return factories.person(name="张伟", email="Zhang.Wei@example.com", username="zhangwei")


@pytest.fixture
def agent(db):
    """A service-desk administrator (may work every incident)."""
    return factories.person(roles=(Role.AGENT, Role.ADMINISTRATOR), email="agent@steward.test")


@pytest.fixture
def placeholder(settings, db):
    """The configured requester of mail from unknown senders."""
    person = factories.person(name="邮件来访者", username="mail-visitor", email="")
    settings.STEWARD_MAIL_UNKNOWN_SENDER = person.username
    return person
