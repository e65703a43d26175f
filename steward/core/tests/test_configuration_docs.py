"""Every STEWARD_* variable the code reads is documented in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_variable_is_documented():
    used: set[str] = set()
    for path in (ROOT / "steward").rglob("*.py"):
        if "/tests/" in str(path):
            continue
        used |= set(re.findall(r"\"(STEWARD_[A-Z_]+)\"", path.read_text(encoding="utf-8")))
    used -= {"STEWARD_HUEY_IMMEDIATE"}  # test settings only
    documented = set(
        re.findall(r"`(STEWARD_[A-Z_]+)`", (ROOT / "docs/configuration.md").read_text())
    )
    assert sorted(used - documented) == []
