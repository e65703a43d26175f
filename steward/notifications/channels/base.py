"""What every channel receives and returns, and how it reports a failure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Recipient:
    id: int
    username: str
    name: str
    email: str


@dataclass(frozen=True)
class OutboundMessage:
    """One rendered notification as one channel should send it.

    ``target`` is the channel's address for the recipient: an e-mail address, a phone number,
    the chat user id to mention, or empty (webhook).
    """

    notification_id: int
    delivery_id: int
    event: str
    language: str
    subject: str
    body: str
    link: str
    recipient: Recipient
    target: str
    created_at: datetime
    thread_root_id: int | None = None
    record_type: str = ""
    record_id: int | None = None


@dataclass(frozen=True)
class Endpoint:
    """Where a robot or webhook message goes, and the secret that signs it."""

    url: str
    secret: str = ""


@dataclass(frozen=True)
class SendResult:
    external_id: str = ""
    status: int | None = None
    excerpt: str = ""


class DeliveryError(Exception):
    """A send failed. ``permanent`` failures are not retried (bad address, refused egress)."""

    def __init__(
        self, message: str, *, permanent: bool = False, status: int | None = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.excerpt = excerpt


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes = field(repr=False)

    @property
    def excerpt(self) -> str:
        return self.body[:500].decode("utf-8", "replace")

    def json(self) -> dict[str, Any]:
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}


class Poster(Protocol):
    """Posts a body to a URL through the egress guard (see ``channels.http``)."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> HttpAnswer: ...


class Sender(Protocol):
    def __call__(
        self, message: OutboundMessage, endpoint: Endpoint | None, http: Poster
    ) -> SendResult: ...


def encode_json(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def require_endpoint(endpoint: Endpoint | None) -> Endpoint:
    if endpoint is None:
        raise DeliveryError("The robot of this delivery was removed.", permanent=True)
    return endpoint


def check_code(answer: HttpAnswer, *keys: str) -> None:
    """Chat robots answer HTTP 200 with an error code in the body; non-zero is a failure."""
    data = answer.json()
    for key in keys:
        if key in data:
            if data[key] in (0, "0"):
                return
            message = data.get("errmsg") or data.get("msg") or data.get("StatusMessage") or ""
            raise DeliveryError(
                f"The robot answered {key}={data[key]}: {message}",
                status=answer.status, excerpt=answer.excerpt,
            )
    raise DeliveryError(
        "The robot's answer has no result code.", status=answer.status, excerpt=answer.excerpt
    )
