"""The egress guard: outbound requests never reach private, loopback, link-local, multicast
or reserved addresses unless an administrator allow-listed the network or host.

The host is resolved once and the connection is made to the checked address, so a DNS answer
that changes between the check and the connection cannot slip past the guard.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from steward.notifications.channels.base import DeliveryError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AllowRule(Protocol):
    def matches(self, host: str, address: IPAddress) -> bool: ...


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]
    path: str


def is_internal(address: IPAddress) -> bool:
    """True for anything that is not a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve(url: str, rules: Sequence[AllowRule]) -> Destination:
    """Check ``url`` against the guard and return the addresses to connect to.

    Raises a permanent ``DeliveryError`` for a refused or malformed URL, and a retryable
    one when the name does not resolve (DNS may recover).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise DeliveryError(f"Only http and https URLs can be called: {url!r}", permanent=True)
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except ValueError:
        raise DeliveryError(f"Invalid port in {url!r}", permanent=True) from None
    except OSError as exc:
        raise DeliveryError(f"Cannot resolve {host}: {exc}") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise DeliveryError(f"Cannot resolve {host}")
    for address in addresses:
        if is_internal(address) and not any(rule.matches(host, address) for rule in rules):
            raise DeliveryError(
                f"Refused: {host} resolves to the internal address {address}; an administrator "
                "must allow-list it first.",
                permanent=True,
            )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    unique = tuple(dict.fromkeys(str(address) for address in addresses))
    return Destination(parts.scheme, host, port, unique, path)
