"""The hash chain over audit entries: how an entry's hash is computed and how it is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def entry_digest(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    source: str,
    content_type: str,
    object_id: str,
    action: str,
    changes: dict[str, Any],
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON form of the entry's content and the previous hash."""
    payload = [
        seq,
        occurred_at.isoformat(timespec="microseconds"),
        actor_id,
        source,
        content_type,
        object_id,
        action,
        changes,
        prev_hash,
    ]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """The first problem found in the chain."""

    seq: int
    kind: str  # "altered", "inserted", "missing"
    detail: str


@dataclass(frozen=True)
class Verification:
    checked: int
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


@dataclass(frozen=True)
class Link:
    """What verification needs of one stored entry."""

    seq: int
    occurred_at: datetime
    actor_id: int | None
    source: str
    content_type: str
    object_id: str
    action: str
    changes: dict[str, Any]
    prev_hash: str
    hash: str


def verify(links: Iterable[Link]) -> Verification:
    """Walk entries in ``seq`` order and report the first altered, inserted or missing one."""
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for link in links:
        if link.seq != expected_seq:
            if link.seq > expected_seq:
                return Verification(
                    checked,
                    Finding(
                        expected_seq,
                        "missing",
                        f"entry {expected_seq} is missing (next stored entry is {link.seq})",
                    ),
                )
            return Verification(
                checked, Finding(link.seq, "inserted", f"entry {link.seq} appears out of order")
            )
        recomputed = entry_digest(
            seq=link.seq,
            occurred_at=link.occurred_at,
            actor_id=link.actor_id,
            source=link.source,
            content_type=link.content_type,
            object_id=link.object_id,
            action=link.action,
            changes=link.changes,
            prev_hash=link.prev_hash,
        )
        if link.prev_hash != prev_hash:
            return Verification(
                checked,
                Finding(
                    link.seq,
                    "inserted",
                    f"entry {link.seq} does not follow entry {link.seq - 1} "
                    "(an entry was inserted or replaced before it)",
                ),
            )
        if recomputed != link.hash:
            return Verification(
                checked,
                Finding(
                    link.seq,
                    "altered",
                    f"entry {link.seq} was altered (its content no longer matches its hash)",
                ),
            )
        prev_hash = link.hash
        expected_seq += 1
        checked += 1
    return Verification(checked, None)
