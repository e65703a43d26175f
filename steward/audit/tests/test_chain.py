"""The audit trail: entries in the same transaction, append-only, tamper-evident chain."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from steward.audit.models import AuditEntry
from steward.audit.services import audit_record, audit_verify
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def chain_of_five():
    factories.person()  # a create and a roles entry
    for n in range(3):
        factories.department(code=f"AUD{n}")
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) == 5
    return entries


def _disable_guard() -> None:
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE", [])
        _raw("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only", [])


def test_intact_chain_verifies(chain_of_five):
    result = audit_verify()
    assert result.ok
    assert result.checked == 5


def test_changed_content_is_reported_as_altered(chain_of_five):
    _disable_guard()
    target = chain_of_five[2]
    _raw(
        "UPDATE audit_auditentry SET object_repr = %s, action = %s WHERE seq = %s",
        ["forged", "delete", target.seq],
    )
    result = audit_verify()
    assert result.finding is not None
    assert (result.finding.seq, result.finding.kind) == (target.seq, "altered")
    assert result.checked == 2


def test_deleted_entry_is_reported_as_missing(chain_of_five):
    _disable_guard()
    _raw("DELETE FROM audit_auditentry WHERE seq = %s", [4])
    result = audit_verify()
    assert result.finding is not None
    assert (result.finding.seq, result.finding.kind) == (4, "missing")


def test_inserted_entry_is_reported_as_inserted(chain_of_five):
    _disable_guard()
    # Shift the tail up by one and slip a forged entry with a self-consistent hash into the gap.
    from steward.audit import chain

    last = chain_of_five[-1]
    for entry in reversed(chain_of_five[2:]):
        _raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [entry.seq + 100, entry.seq])
    forged_prev = chain_of_five[1].hash
    forged = chain.entry_digest(
        seq=3,
        occurred_at=last.occurred_at,
        actor_id=None,
        source="system",
        content_type=f"{last.content_type.app_label}.{last.content_type.model}",
        object_id="1",
        action="update",
        changes={},
        prev_hash=forged_prev,
    )
    AuditEntry(
        seq=3,
        occurred_at=last.occurred_at,
        actor=None,
        source="system",
        content_type=last.content_type,
        object_id="1",
        action="update",
        changes={},
        prev_hash=forged_prev,
        hash=forged,
    ).save(force_insert=True)
    for entry in chain_of_five[2:]:
        _raw(
            "UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [entry.seq + 1, entry.seq + 100]
        )
    result = audit_verify()
    assert result.finding is not None
    assert (result.finding.seq, result.finding.kind) == (4, "inserted")


def test_application_cannot_update_or_delete_entries(chain_of_five):
    entry = chain_of_five[0]
    entry.action = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=1).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(seq=1).action == "create"


@pytest.mark.postgres
def test_database_refuses_update_and_delete_on_postgresql(chain_of_five):
    from django.db import InternalError, ProgrammingError
    from django.db.utils import DatabaseError

    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditentry WHERE seq = 1",
    ):
        with pytest.raises((InternalError, ProgrammingError, DatabaseError)), transaction.atomic():
            _raw(sql, [])
    assert AuditEntry.objects.get(seq=1).action == "create"
    assert audit_verify().ok


def _create_then_fail() -> None:
    with transaction.atomic():
        factories.department(code="GONE")
        raise RuntimeError("business change fails")


def test_entry_rolls_back_with_the_change():
    with pytest.raises(RuntimeError):
        _create_then_fail()
    assert AuditEntry.objects.count() == 0


def test_verify_command_reports_intact_and_broken(chain_of_five, capsys):
    call_command("audit_verify")
    assert "5 entries verified" in capsys.readouterr().out
    _disable_guard()
    _raw("UPDATE audit_auditentry SET object_id = %s WHERE seq = %s", ["999", 3])
    with pytest.raises(CommandError, match="broken at entry 3 \\(altered\\)"):
        call_command("audit_verify")


def test_a_transaction_appends_after_its_own_last_entry_without_reading_the_chain_again():
    target = factories.department(code="H1")
    with transaction.atomic():
        first = audit_record(actor=None, obj=target, action="touch")
        with CaptureQueriesContext(connection) as queries:
            second = audit_record(actor=None, obj=target, action="touch")
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert audit_verify().ok


def test_an_entry_rolled_back_with_its_savepoint_is_not_chained_onto():
    target = factories.department(code="S1")

    def touch() -> AuditEntry:
        return audit_record(actor=None, obj=target, action="touch")

    def refused_part() -> None:
        with transaction.atomic():
            touch()  # its entry rolls back with the savepoint
            raise RuntimeError("refused")

    with transaction.atomic():
        kept = touch()
        with pytest.raises(RuntimeError):
            refused_part()
        after = touch()
        with transaction.atomic():
            inner = touch()  # a savepoint released: its entry stays
        last = touch()
    assert (after.seq, after.prev_hash) == (kept.seq + 1, kept.hash)
    assert (inner.prev_hash, last.prev_hash) == (after.hash, inner.hash)
    assert list(AuditEntry.objects.filter(action="touch").values_list("seq", flat=True)) == [
        kept.seq, kept.seq + 1, kept.seq + 2, kept.seq + 3
    ]
    assert audit_verify().ok
