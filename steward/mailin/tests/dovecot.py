"""A real Dovecot IMAP server for the tests: its own configuration, certificate authority,
user and Maildir in a temporary folder, listening for IMAPS on a free loopback port.

Needs the ``dovecot`` (Debian: dovecot-imapd) and ``openssl`` programs; ``.ci/run`` installs
them. Messages are delivered by writing them into the Maildir, as a local delivery agent does.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

USER = "helpdesk"
PASSWORD = "dovecot-test-password"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/server.pem
ssl_key = <{root}/server.key
auth_mechanisms = plain
disable_plaintext_auth = yes
first_valid_uid = {uid}
default_internal_user = {internal}
default_login_user = {login}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
"""


def available() -> str | None:
    """Why the real server cannot run here, or None when it can."""
    missing = [p for p in ("dovecot", "openssl") if shutil.which(p) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (Debian: apt install dovecot-imapd openssl)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class Dovecot:
    """Start with ``start()``, deliver with ``deliver()``, read back with ``messages()``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.ca_file = str(root / "ca.pem")
        self.process: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:  # Dovecot refuses to serve mail as root: use its own accounts
            mail_user, self.internal, self.login = "dovecot", "dovecot", "dovenull"
        else:
            mail_user = self.internal = self.login = pwd.getpwuid(os.getuid()).pw_name
        entry = pwd.getpwnam(mail_user)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid

    def _certificates(self) -> None:
        root = self.root
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", "/CN=Steward test CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=root)
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                 "-keyout", "server.key", "-out", "server.csr", cwd=root)
        (root / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.pem",
                 cwd=root)

    def start(self) -> None:
        root = self.root
        for folder in ("run", "state", f"mail/{USER}"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        self._certificates()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (root / "dovecot.conf").write_text(CONFIG.format(
            root=root, port=self.port, uid=self.uid, gid=self.gid,
            internal=self.internal, login=self.login,
        ))
        self._own(root)
        os.chmod(root, 0o755)  # noqa: S103 - Dovecot's own accounts read it (test only)
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(root / "dovecot.conf")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not listen within 20 s: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        out = self.process.stdout.read().decode() if self.process and self.process.stdout else ""
        return (path.read_text() if path.exists() else "") + out

    def _own(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        for folder, _dirs, files in os.walk(path / "mail"):
            os.chown(folder, self.uid, self.gid)
            for name in files:
                os.chown(os.path.join(folder, name), self.uid, self.gid)

    def maildir(self, folder: str = "") -> Path:
        base = self.root / "mail" / USER
        return base / f".{folder}" if folder else base

    def deliver(self, raw: bytes) -> None:
        """Put a message into INBOX as a local delivery agent would (tmp/, then new/)."""
        base = self.maildir()
        for sub in ("tmp", "new", "cur"):
            (base / sub).mkdir(exist_ok=True)
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.steward-test"
        (base / "tmp" / name).write_bytes(raw)
        os.replace(base / "tmp" / name, base / "new" / name)
        self._own(self.root)
