"""WeCom (企业微信) group robot: a markdown message mentioning the person with ``<@userid>``.

The robot answers ``{"errcode": 0, "errmsg": "ok"}``; any other errcode is a failure.
Markdown content is limited to 4096 bytes.
"""

from __future__ import annotations

from steward.notifications.channels.base import (
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
    check_code,
    encode_json,
    require_endpoint,
)

MAX_CONTENT_BYTES = 4096


def truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode("utf-8", "ignore") + "..."


def content(message: OutboundMessage) -> str:
    mention = f"<@{message.target}>\n" if message.target else ""
    link = f"\n[{message.link}]({message.link})" if message.link else ""
    return truncate_bytes(
        f"{mention}**{message.subject}**\n{message.body}{link}", MAX_CONTENT_BYTES
    )


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    target = require_endpoint(endpoint)
    body = {"msgtype": "markdown", "markdown": {"content": content(message)}}
    answer = http.post(target.url, encode_json(body), {})
    check_code(answer, "errcode")
    return SendResult(status=answer.status, excerpt=answer.excerpt)
