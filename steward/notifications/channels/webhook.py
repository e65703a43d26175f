"""Generic webhook: a JSON POST signed with HMAC-SHA256 over the exact body.

Headers: ``X-Steward-Signature: sha256=<hex>`` (when the endpoint has a secret),
``X-Steward-Timestamp`` (seconds; also inside the signed body, so receivers can refuse
replays), ``X-Steward-Event`` and ``X-Steward-Delivery`` (for receiver-side de-duplication).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from steward.notifications.channels.base import (
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
    encode_json,
    require_endpoint,
)

SIGNATURE_HEADER = "X-Steward-Signature"
TIMESTAMP_HEADER = "X-Steward-Timestamp"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def payload(message: OutboundMessage, timestamp: str) -> dict[str, object]:
    record = (
        {"type": message.record_type, "id": message.record_id} if message.record_type else None
    )
    return {
        "event": message.event,
        "notification_id": message.notification_id,
        "delivery_id": message.delivery_id,
        "timestamp": timestamp,
        "language": message.language,
        "subject": message.subject,
        "body": message.body,
        "link": message.link,
        "created_at": message.created_at.isoformat(),
        "recipient": {
            "id": message.recipient.id,
            "username": message.recipient.username,
            "name": message.recipient.name,
            "email": message.recipient.email,
        },
        "record": record,
    }


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    target = require_endpoint(endpoint)
    timestamp = str(int(time.time()))
    body = encode_json(payload(message, timestamp))
    headers = {
        TIMESTAMP_HEADER: timestamp,
        "X-Steward-Event": message.event,
        "X-Steward-Delivery": str(message.delivery_id),
    }
    if target.secret:
        headers[SIGNATURE_HEADER] = signature(target.secret, body)
    answer = http.post(target.url, body, headers)
    return SendResult(status=answer.status, excerpt=answer.excerpt)
