"""PostgreSQL connections bind parameters on the server and prepare repeated statements."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from steward.config.env import ConfigError, Env
from steward.identity.models import Person
from steward.testing import factories

URL = "postgresql://steward@db.example.cn:5432/steward"
UNUSED = Path("var/unused.sqlite3")  # the SQLite default, not opened


def test_postgres_urls_get_server_binding_and_prepared_statements():
    options = Env({"DB": URL}).database("DB", UNUSED)["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}


def test_preparing_can_be_switched_off_for_a_pooler():
    env = Env({"DB": URL, "STEWARD_DATABASE_PREPARED": "false"})
    options = env.database("DB", UNUSED)["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": None}
    with pytest.raises(ConfigError, match="STEWARD_DATABASE_PREPARED: must be true or false"):
        Env({"DB": URL, "STEWARD_DATABASE_PREPARED": "sometimes"}).database(
            "DB", UNUSED
        )


def test_sqlite_is_left_alone():
    config = Env({}).database("DB", UNUSED)
    assert "server_side_binding" not in config["OPTIONS"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_statement_run_repeatedly_is_prepared_on_the_server():
    person = factories.person()
    for _ in range(6):
        assert Person.objects.filter(pk=person.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "identity_person"' in sql and "$1" in sql for sql in prepared), prepared
