"""The ``steward`` command as a user runs it: configuration errors, check, migrate, verify."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STEWARD_", "DJANGO_"))
    }
    environ.update({"STEWARD_HOME": str(home), **env})
    return subprocess.run(
        [sys.executable, "-m", "steward.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("_case", "variable", "value", "problem"),
    [
        ("bad time zone", "STEWARD_TIME_ZONE", "Mars/Olympus", "unknown time zone"),
        ("bad database url", "STEWARD_DATABASE_URL", "mysql://x/y", "unsupported scheme"),
        ("short secret", "STEWARD_SECRET_KEY", "short", "at least 32 characters"),
        ("bad number", "STEWARD_LOGIN_MAX_FAILURES", "many", "must be a whole number"),
        ("bad flag", "STEWARD_DEBUG", "perhaps", "must be true or false"),
        ("bad redis url", "STEWARD_REDIS_URL", "http://localhost", "must be a redis:// URL"),
        ("bad rate", "STEWARD_API_RATE_TOKEN", "lots", "must look like 600/min"),
        ("bad log format", "STEWARD_LOG_FORMAT", "xml", "must be text or json"),
    ],
)
def test_invalid_setting_stops_startup_with_one_line(tmp_path, _case, variable, value, problem):
    result = run(tmp_path, "check", **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"steward: configuration error: {variable}: ")
    assert problem in lines[0]


def test_help_lists_the_commands(tmp_path):
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "migrate", "createadmin", "check", "audit verify"):
        assert command in result.stdout


@pytest.mark.slow
def test_fresh_home_migrate_createadmin_check_and_verify(tmp_path):
    assert run(tmp_path, "check").returncode == 0  # warns about unapplied migrations only
    unapplied = run(tmp_path, "check")
    assert "steward.W001" in unapplied.stderr + unapplied.stdout
    assert run(tmp_path, "migrate", "-v", "0").returncode == 0
    created = run(
        tmp_path,
        "createadmin",
        "--username",
        "root",
        "--name",
        "管理员",
        "--password",
        "Root-pass-2026",
    )
    assert created.returncode == 0, created.stderr
    assert "administrator root created" in created.stdout
    weak = run(tmp_path, "createadmin", "--username", "root2", "--password", "123")
    assert weak.returncode != 0
    assert "password" in weak.stderr.lower() or "short" in weak.stderr.lower()
    checked = run(tmp_path, "check")
    assert checked.returncode == 0
    assert "steward.W001" not in checked.stderr + checked.stdout
    verified = run(tmp_path, "audit", "verify")
    assert verified.returncode == 0
    assert "audit chain intact: 2 entries verified" in verified.stdout
    assert (tmp_path / "steward.sqlite3").exists()
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
