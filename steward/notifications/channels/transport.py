"""Posting to HTTP endpoints through the egress guard, with timeouts and no redirects."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Sequence

from steward.notifications.channels.base import DeliveryError, HttpAnswer
from steward.notifications.channels.egress import AllowRule, Destination, resolve

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 64 * 1024
RETRYABLE_STATUSES = frozenset({408, 425, 429})


def _connect(addresses: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    """Connect to the first reachable checked address (a host may have IPv4 and IPv6)."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the addresses the guard checked, whatever DNS says now."""

    def __init__(self, destination: Destination, timeout: float) -> None:
        super().__init__(destination.host, destination.port, timeout=timeout)
        self._addresses = destination.addresses

    def connect(self) -> None:
        self.sock = _connect(self._addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, destination: Destination, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(destination.host, destination.port, timeout=timeout, context=self._tls)
        self._addresses = destination.addresses

    def connect(self) -> None:
        sock = _connect(self._addresses, self.port, self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class GuardedPoster:
    """POSTs bodies with the egress guard applied to every request."""

    def __init__(self, rules: Sequence[AllowRule], timeout: float = TIMEOUT_SECONDS) -> None:
        self.rules = list(rules)
        self.timeout = timeout

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> HttpAnswer:
        destination = resolve(url, self.rules)
        connection: http.client.HTTPConnection = (
            _PinnedHTTPSConnection(destination, self.timeout)
            if destination.scheme == "https"
            else _PinnedHTTPConnection(destination, self.timeout)
        )
        all_headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Steward-Notifications/1",
            **headers,
        }
        try:
            connection.request("POST", destination.path, body=body, headers=all_headers)
            response = connection.getresponse()
            answer = HttpAnswer(response.status, response.read(MAX_ANSWER_BYTES))
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"{destination.host}: {type(exc).__name__}: {exc}") from None
        finally:
            connection.close()
        return _checked(answer)


def _checked(answer: HttpAnswer) -> HttpAnswer:
    if 200 <= answer.status < 300:
        return answer
    retryable = answer.status >= 500 or answer.status in RETRYABLE_STATUSES
    raise DeliveryError(
        f"The endpoint answered HTTP {answer.status}.",
        permanent=not retryable, status=answer.status, excerpt=answer.excerpt,
    )
