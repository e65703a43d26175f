"""Read Steward's configuration from environment variables.

Every variable is documented in docs/configuration.md. A missing or invalid value raises
``ConfigError`` whose message is one line naming the variable and what is wrong; the
``steward`` command prints it and exits.
"""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url


class ConfigError(Exception):
    """A configuration variable is missing or invalid."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class Env:
    """Typed accessors over an environment mapping (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def text(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name)
        if value is None or value == "":
            if default is None:
                raise ConfigError(name, "is required but not set")
            return default
        return value

    def optional(self, name: str) -> str | None:
        value = self.environ.get(name, "")
        return value or None

    def flag(self, name: str, default: bool) -> bool:
        value = self.environ.get(name, "").strip().lower()
        if value == "":
            return default
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(name, f"must be true or false, got {value!r}")

    def number(self, name: str, default: int, minimum: int = 0, maximum: int = 2**31) -> int:
        raw = self.environ.get(name, "").strip()
        if raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(name, f"must be a whole number, got {raw!r}") from None
        if not minimum <= value <= maximum:
            raise ConfigError(name, f"must be between {minimum} and {maximum}, got {value}")
        return value

    def items(self, name: str, default: list[str]) -> list[str]:
        raw = self.environ.get(name, "")
        if raw.strip() == "":
            return default
        return [item.strip() for item in raw.split(",") if item.strip()]

    def time_zone(self, name: str, default: str) -> str:
        value = self.text(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(name, f"unknown time zone {value!r}") from None
        return value

    def path(self, name: str, default: Path) -> Path:
        raw = self.environ.get(name, "")
        return Path(raw).expanduser().resolve() if raw else default.resolve()

    def database(self, name: str, sqlite_path: Path) -> dict[str, object]:
        raw = self.environ.get(name, "")
        if raw == "":
            return sqlite_database(sqlite_path)
        scheme = urlparse(raw).scheme
        if scheme in {"postgres", "postgresql", "pgsql"}:
            try:
                config: dict[str, object] = dict(dj_database_url.parse(raw, conn_max_age=60))
            except ValueError as exc:
                raise ConfigError(name, f"cannot parse the URL: {exc}") from None
            config["ENGINE"] = "django.db.backends.postgresql"
            if not config.get("NAME"):
                raise ConfigError(name, "the URL names no database")
            config["CONN_HEALTH_CHECKS"] = True
            given = config.get("OPTIONS")
            config["OPTIONS"] = {
                **(given if isinstance(given, dict) else {}),
                **self.postgres_options(),
            }
            return config
        if scheme == "sqlite":
            path = raw.removeprefix("sqlite:///").removeprefix("sqlite://")
            if not path:
                raise ConfigError(
                    name, "a sqlite URL needs a file path, e.g. sqlite:////srv/steward.db"
                )
            return sqlite_database(Path(path))
        raise ConfigError(
            name, f"unsupported scheme {scheme!r}; use postgresql://... or sqlite:///path"
        )

    def postgres_options(self) -> dict[str, object]:
        """Parameters are bound by the server (psycopg's server-side binding), and a write a
        connection runs repeatedly is prepared once (after 5 runs), so PostgreSQL parses and
        plans it once per connection; reads are not prepared (``config.pgcursor``, ADR 0006).
        ``STEWARD_DATABASE_PREPARED=false`` keeps the binding but prepares nothing: for a
        pooler that cannot carry prepared statements (PgBouncer in transaction mode before
        1.21, or without ``max_prepared_statements``)."""
        from steward.config.pgcursor import PreparedWritesCursor

        prepared = self.flag("STEWARD_DATABASE_PREPARED", True)
        return {
            "server_side_binding": True,
            # Only writes are prepared (reads are planned for their values every time).
            "cursor_factory": PreparedWritesCursor,
            # Django turns psycopg's preparing off unless asked; 5 is psycopg's own default.
            "prepare_threshold": 5 if prepared else None,
        }

    def rate(self, name: str, default: str) -> str:
        """A request rate such as ``600/min`` (per s, min, hour or day)."""
        value = self.text(name, default).strip()
        count, _, period = value.partition("/")
        if not count.isdigit() or period not in {"s", "sec", "m", "min", "h", "hour", "d", "day"}:
            raise ConfigError(name, f"must look like 600/min (count/s|min|hour|day), got {value!r}")
        return value

    def redis_url(self, name: str) -> str | None:
        raw = self.optional(name)
        if raw is None:
            return None
        if urlparse(raw).scheme not in {"redis", "rediss", "unix"}:
            raise ConfigError(name, f"must be a redis:// URL, got {raw!r}")
        return raw


def sqlite_database(path: Path) -> dict[str, object]:
    """SQLite in WAL mode with immediate transactions and a generous busy timeout."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=30000;"
            ),
        },
        "TEST": {"NAME": str(path.with_name(path.stem + "_test.sqlite3"))},
    }
