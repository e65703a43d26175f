"""The data migration seeds every foundation event in both languages, and re-running it
keeps an administrator's rewording."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from steward.notifications.models import MessageTemplate

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module(
    "steward.notifications.migrations.0002_seed_message_templates"
)


def test_events_are_seeded_in_both_languages():
    seeded = set(MessageTemplate.objects.values_list("event", "language"))

    assert seeded >= {
        (event, language)
        for event in (
            "notification.test", "account.locked", "record.updated", "sla.warning", "sla.breached"
        )
        for language in ("zh-hans", "en")
    }


def test_rerunning_the_seed_keeps_reworded_templates():
    MessageTemplate.objects.filter(event="account.locked", language="en").update(
        subject="Account locked"
    )
    before = MessageTemplate.objects.count()

    seed_migration.seed(apps, None)

    assert MessageTemplate.objects.count() == before
    assert MessageTemplate.objects.get(event="account.locked", language="en").subject == (
        "Account locked"
    )
