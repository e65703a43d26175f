"""DingTalk (钉钉) group robot: a signed markdown message with ``at.atUserIds``.

Signing (when the robot has a secret): ``string_to_sign = timestamp_ms + "\\n" + secret``,
HMAC-SHA256 keyed by the secret, base64, URL-encoded, added as ``&timestamp=...&sign=...``.
The robot answers ``{"errcode": 0, "errmsg": "ok"}``; any other errcode is a failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from steward.notifications.channels.base import (
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
    check_code,
    encode_json,
    require_endpoint,
)


def sign(secret: str, timestamp_ms: str) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: str) -> str:
    if not secret:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def payload(message: OutboundMessage) -> dict[str, object]:
    # DingTalk only shows the mention when "@userid" also appears in the text.
    mention = f"\n\n@{message.target}" if message.target else ""
    link = f"\n\n[{message.link}]({message.link})" if message.link else ""
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": message.subject,
            "text": f"### {message.subject}\n\n{message.body}{link}{mention}",
        },
        "at": {"atUserIds": [message.target] if message.target else [], "isAtAll": False},
    }


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    target = require_endpoint(endpoint)
    timestamp_ms = str(int(time.time() * 1000))
    url = signed_url(target.url, target.secret, timestamp_ms)
    answer = http.post(url, encode_json(payload(message)), {})
    check_code(answer, "errcode")
    return SendResult(status=answer.status, excerpt=answer.excerpt)
