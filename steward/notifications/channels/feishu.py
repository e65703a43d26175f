"""Feishu (飞书) custom bot: a signed rich-text ("post") message with an ``at`` element.

Signing (when the bot has a secret): ``string_to_sign = timestamp_s + "\\n" + secret`` is the
HMAC-SHA256 *key* over an empty message; the base64 digest goes into the body as ``sign``
next to ``timestamp``. The bot answers ``{"code": 0, "msg": "success"}`` (older bots:
``StatusCode``); any other code is a failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from steward.notifications.channels.base import (
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
    check_code,
    encode_json,
    require_endpoint,
)


def sign(secret: str, timestamp_s: str) -> str:
    string_to_sign = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(string_to_sign, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def payload(message: OutboundMessage) -> dict[str, object]:
    first_line: list[dict[str, str]] = []
    if message.target:
        first_line.append({"tag": "at", "user_id": message.target})
    text = f" {message.body}" if message.target else message.body
    first_line.append({"tag": "text", "text": text})
    lines: list[list[dict[str, str]]] = [first_line]
    if message.link:
        lines.append([{"tag": "a", "text": message.link, "href": message.link}])
    locale = "en_us" if message.language == "en" else "zh_cn"
    return {
        "msg_type": "post",
        "content": {"post": {locale: {"title": message.subject, "content": lines}}},
    }


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    target = require_endpoint(endpoint)
    body = payload(message)
    if target.secret:
        timestamp_s = str(int(time.time()))
        body = {"timestamp": timestamp_s, "sign": sign(target.secret, timestamp_s), **body}
    answer = http.post(target.url, encode_json(body), {})
    check_code(answer, "code", "StatusCode")
    return SendResult(status=answer.status, excerpt=answer.excerpt)
