"""Real local servers for the channel tests: an SMTP server (aiosmtpd) and one HTTP server that
plays the webhook receiver, the WeCom, DingTalk and Feishu robots and the SMS provider.

The HTTP server checks signatures with its own implementation of each vendor's documented
scheme (it does not import the channel code) and answers the way the real service does.
"""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

WEBHOOK_SECRET = "webhook-secret-ä"
DINGTALK_TOKEN = "dt-access-token"
DINGTALK_SECRET = "SECdingtalk-secret"
FEISHU_HOOK = "feishu-hook-id"
FEISHU_SECRET = "feishu-secret"
WECOM_KEY = "wecom-key"
SMS_TOKEN = "sms-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """aiosmtpd handler keeping every received message (or refusing with ``answer``)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.answer = "250 Message accepted for delivery"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self.answer.startswith("250"):
            return self.answer
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return self.answer


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Received:
    """One request as the robot server saw it, and whether its signature checked out."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    verified: bool
    problem: str = ""

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class RobotServer:
    port: int = 0
    requests: list[Received] = field(default_factory=list)
    # Statuses to answer (instead of the service's normal answer) for the next requests.
    fail_next: list[int] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def webhook_url(self) -> str:
        return self.url("/webhook")

    @property
    def dingtalk_url(self) -> str:
        return self.url(f"/robot/send?access_token={DINGTALK_TOKEN}")

    @property
    def feishu_url(self) -> str:
        return self.url(f"/open-apis/bot/v2/hook/{FEISHU_HOOK}")

    @property
    def wecom_url(self) -> str:
        return self.url(f"/cgi-bin/webhook/send?key={WECOM_KEY}")

    @property
    def sms_url(self) -> str:
        return self.url("/sms/send")


def _check_webhook(headers: dict[str, str], body: bytes, query: dict[str, str]) -> str:
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(headers.get("x-steward-signature", ""), expected):
        return "bad signature"
    timestamp = headers.get("x-steward-timestamp", "")
    if json.loads(body)["timestamp"] != timestamp or abs(time.time() - int(timestamp)) > 300:
        return "stale or mismatched timestamp"
    return ""


def _check_dingtalk(headers: dict[str, str], body: bytes, query: dict[str, str]) -> str:
    # https://open.dingtalk.com/document/robots/customize-robot-security-settings
    timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
    if query.get("access_token") != DINGTALK_TOKEN or not timestamp:
        return "token or timestamp missing"
    if abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000:
        return "timestamp too old"
    string_to_sign = f"{timestamp}\n{DINGTALK_SECRET}"
    digest = hmac.new(DINGTALK_SECRET.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    if base64.b64encode(digest).decode() != sign:
        return "sign not match"
    data = json.loads(body)
    if data.get("msgtype") != "markdown" or not {"title", "text"} <= set(data["markdown"]):
        return "bad markdown message"
    return ""


def _check_feishu(headers: dict[str, str], body: bytes, query: dict[str, str]) -> str:
    # https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
    data = json.loads(body)
    timestamp = str(data.get("timestamp", ""))
    if not timestamp or abs(time.time() - int(timestamp)) > 3600:
        return "timestamp is not within one hour from current time"
    key = f"{timestamp}\n{FEISHU_SECRET}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    if data.get("sign") != expected:
        return "sign match fail"
    if data.get("msg_type") not in {"text", "post"}:
        return "bad msg_type"
    return ""


def _check_wecom(headers: dict[str, str], body: bytes, query: dict[str, str]) -> str:
    # https://developer.work.weixin.qq.com/document/path/91770
    if query.get("key") != WECOM_KEY:
        return "invalid webhook url"
    data = json.loads(body)
    if data.get("msgtype") != "markdown" or "content" not in data.get("markdown", {}):
        return "bad markdown message"
    return ""


def _check_sms(headers: dict[str, str], body: bytes, query: dict[str, str]) -> str:
    if headers.get("authorization") != f"Bearer {SMS_TOKEN}":
        return "unauthorised"
    data = json.loads(body)
    return "" if set(data) == {"to", "text", "sender"} else "bad body"


def _answer(path: str, problem: str) -> tuple[int, dict[str, Any]]:
    """The service's real answer shape for success or for ``problem``."""
    if path.startswith("/robot/send"):
        return 200, {"errcode": 310000 if problem else 0, "errmsg": problem or "ok"}
    if path.startswith("/open-apis/"):
        return 200, {"code": 19021 if problem else 0, "msg": problem or "success", "data": {}}
    if path.startswith("/cgi-bin/"):
        return 200, {"errcode": 93000 if problem else 0, "errmsg": problem or "ok"}
    if path.startswith("/sms/"):
        return (401, {"error": problem}) if problem else (202, {"id": "sms-0001"})
    return (401, {"error": problem}) if problem else (200, {"ok": True})


CHECKS = {
    "/webhook": _check_webhook,
    "/robot/send": _check_dingtalk,
    "/open-apis/": _check_feishu,
    "/cgi-bin/": _check_wecom,
    "/sms/": _check_sms,
}


def make_handler(state: RobotServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            # parse_qs decodes once: DingTalk's sign is URL-encoded exactly once.
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            check = next((c for p, c in CHECKS.items() if parts.path.startswith(p)), None)
            problem = check(headers, body, query) if check else "unknown path"
            state.requests.append(
                Received(parts.path, query, headers, body, verified=not problem, problem=problem)
            )
            if state.fail_next:
                status, payload = state.fail_next.pop(0), {"error": "scripted failure"}
            else:
                status, payload = _answer(parts.path, problem)
            answer = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    return Handler


class RunningRobotServer:
    def __init__(self) -> None:
        self.state = RobotServer()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.state.port = int(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
