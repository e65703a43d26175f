"""SMS through the configured HTTP provider (``STEWARD_SMS_URL``).

POST JSON ``{"to", "text", "sender"}`` with ``Authorization: Bearer STEWARD_SMS_TOKEN``;
any 2xx is accepted, and the provider's ``id`` or ``message_id`` becomes the external id.
"""

from __future__ import annotations

from django.conf import settings

from steward.notifications.channels.base import (
    DeliveryError,
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
    encode_json,
)

MAX_TEXT_CHARS = 300


def text(message: OutboundMessage) -> str:
    parts = [message.subject, message.body.strip()]
    full = "\n".join(part for part in parts if part)
    if len(full) > MAX_TEXT_CHARS:
        full = full[: MAX_TEXT_CHARS - 1] + "…"
    return f"{full}\n{message.link}" if message.link else full


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    url: str | None = settings.STEWARD_SMS_URL
    if not url:
        raise DeliveryError("SMS is not configured (STEWARD_SMS_URL).", permanent=True)
    headers: dict[str, str] = {}
    token: str | None = settings.STEWARD_SMS_TOKEN
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = {"to": message.target, "text": text(message), "sender": settings.STEWARD_SMS_SENDER}
    answer = http.post(url, encode_json(body), headers)
    data = answer.json()
    external = data.get("id") or data.get("message_id") or ""
    return SendResult(external_id=str(external), status=answer.status, excerpt=answer.excerpt)
