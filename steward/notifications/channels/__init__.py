"""Channels: one small module per kind, each a ``send(message, endpoint, http)`` function.

Channels do no database work: the delivery service hands them a rendered
``OutboundMessage``, the robot's ``Endpoint`` and a ``Poster`` that applies the egress guard.
"""

from __future__ import annotations

from steward.notifications.channels import dingtalk, email, feishu, sms, webhook, wecom
from steward.notifications.channels.base import (
    DeliveryError,
    Endpoint,
    OutboundMessage,
    Poster,
    Recipient,
    Sender,
    SendResult,
)

SENDERS: dict[str, Sender] = {
    "email": email.send,
    "sms": sms.send,
    "wecom": wecom.send,
    "dingtalk": dingtalk.send,
    "feishu": feishu.send,
    "webhook": webhook.send,
}


def send(channel: str, message: OutboundMessage, endpoint: Endpoint | None,
         http: Poster) -> SendResult:
    sender = SENDERS.get(channel)
    if sender is None:
        raise DeliveryError(f"Unknown channel {channel!r}.", permanent=True)
    return sender(message, endpoint, http)


__all__ = [
    "SENDERS",
    "DeliveryError",
    "Endpoint",
    "OutboundMessage",
    "Poster",
    "Recipient",
    "SendResult",
    "Sender",
    "send",
]
