"""Appending many entries at once (history imports) continues the same verifiable chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from steward.audit.context import source
from steward.audit.models import AuditEntry
from steward.audit.services import AuditDraft, audit_record_many, audit_verify
from steward.identity.models import Department
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_many_entries_continue_the_chain_in_the_given_order():
    department = factories.department(code="BULK")
    person = factories.person()
    before = list(AuditEntry.objects.order_by("seq"))
    at = dt.datetime(2025, 3, 1, 8, 0, tzinfo=dt.UTC)
    drafts = [
        AuditDraft(
            occurred_at=at + dt.timedelta(minutes=n),
            actor_id=person.pk if n % 2 else None,
            actor_label=str(person),
            content_type=ContentType.objects.get_for_model(Department),
            object_id=str(department.pk),
            object_repr=str(department),
            action="update",
            changes={"name": [f"v{n}", f"v{n + 1}"]},
        )
        for n in range(3)
    ]

    with source("cli"):
        written = audit_record_many(drafts)

    added = list(AuditEntry.objects.filter(seq__gt=before[-1].seq).order_by("seq"))
    assert written == 3
    assert [e.seq for e in added] == [before[-1].seq + 1, before[-1].seq + 2, before[-1].seq + 3]
    assert added[0].prev_hash == before[-1].hash
    assert [e.changes for e in added] == [{"name": ["v0", "v1"]}, {"name": ["v1", "v2"]},
                                          {"name": ["v2", "v3"]}]  # fmt: skip
    assert [e.occurred_at for e in added] == [d.occurred_at for d in drafts]
    assert [e.actor_label for e in added] == ["system", str(person), "system"]
    assert {e.source for e in added} == {"cli"}
    assert audit_verify().ok


def test_nothing_to_append_writes_nothing():
    factories.department(code="BULK")
    count = AuditEntry.objects.count()

    assert audit_record_many([]) == 0
    assert AuditEntry.objects.count() == count
