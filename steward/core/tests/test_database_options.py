"""PostgreSQL connections bind parameters on the server and prepare the writes they repeat;
reads are planned for their own values every time (ADR 0006)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from steward.config.env import ConfigError, Env
from steward.config.pgcursor import PreparedWritesCursor, is_write
from steward.identity.models import Department, Person
from steward.testing import factories

URL = "postgresql://steward@db.example.cn:5432/steward"
UNUSED = Path("var/unused.sqlite3")  # the SQLite default, not opened


def test_postgres_urls_get_server_binding_and_prepared_writes():
    options = Env({"DB": URL}).database("DB", UNUSED)["OPTIONS"]
    assert options == {
        "server_side_binding": True,
        "cursor_factory": PreparedWritesCursor,
        "prepare_threshold": 5,
    }


def test_preparing_can_be_switched_off_for_a_pooler():
    env = Env({"DB": URL, "STEWARD_DATABASE_PREPARED": "false"})
    assert env.database("DB", UNUSED)["OPTIONS"]["prepare_threshold"] is None
    with pytest.raises(ConfigError, match="STEWARD_DATABASE_PREPARED: must be true or false"):
        Env({"DB": URL, "STEWARD_DATABASE_PREPARED": "sometimes"}).database("DB", UNUSED)


def test_sqlite_is_left_alone():
    config = Env({}).database("DB", UNUSED)
    assert "server_side_binding" not in config["OPTIONS"]


def test_only_inserts_updates_and_deletes_count_as_writes():
    assert is_write('INSERT INTO "t" ("a") VALUES (%s)')
    assert is_write('  update "t" SET "a" = %s')
    assert is_write('DELETE FROM "t" WHERE "id" = %s')
    assert not is_write('SELECT "t"."id" FROM "t" WHERE "t"."status" = %s')
    assert not is_write("WITH x AS (SELECT 1) SELECT * FROM x")


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_repeated_write_is_prepared_and_a_repeated_read_is_not():
    for n in range(6):
        factories.department(code=f"PREP{n}")
        assert Person.objects.filter(username=f"nobody{n % 2}").exists() is False
    prepared = _prepared()
    assert any(
        sql.startswith(f'INSERT INTO "{Department._meta.db_table}"') and "$1" in sql
        for sql in prepared
    ), prepared
    assert not any('FROM "identity_person"' in sql for sql in prepared), prepared
