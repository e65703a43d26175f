"""A minimal IMAP4rev1 server for the tests only (no IMAP server can be installed here).

It speaks just what ``imap_poll`` uses, over plain TCP on 127.0.0.1: CAPABILITY, LOGIN,
SELECT, UID SEARCH UNSEEN, UID FETCH (BODY.PEEK[]), UID STORE +FLAGS.SILENT, UID COPY,
EXPUNGE and LOGOUT, with literal strings as RFC 3501 defines them. It is driven by the
standard library's ``imaplib`` client in the tests.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field

USER, PASSWORD = "helpdesk", "s3cret"


@dataclass
class Stored:
    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


@dataclass
class Mailbox:
    messages: list[Stored] = field(default_factory=list)
    folders: dict[str, list[bytes]] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)

    def add(self, raw: bytes) -> None:
        self.messages.append(Stored(uid=len(self.messages) + 1, raw=raw))


def make_handler(box: Mailbox) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str | bytes) -> None:
            self.wfile.write((line if isinstance(line, bytes) else line.encode()) + b"\r\n")

        def handle(self) -> None:
            self.reply("* OK IMAP4rev1 test server ready")
            authenticated = False
            while line := self.rfile.readline():
                tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
                command, _, args = rest.partition(" ")
                box.commands.append(f"{command.upper()} {args}".strip())
                verb = command.upper()
                if verb == "CAPABILITY":
                    self.reply("* CAPABILITY IMAP4rev1")
                elif verb == "LOGIN":
                    authenticated = [a.strip('"') for a in args.split()] == [USER, PASSWORD]
                    if not authenticated:
                        self.reply(f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials")
                        continue
                elif verb == "SELECT" and authenticated:
                    self.reply(f"* {len(box.messages)} EXISTS")
                    self.reply(f"{tag} OK [READ-WRITE] SELECT completed")
                    continue
                elif verb == "UID" and authenticated:
                    self.uid(args)
                elif verb == "EXPUNGE":
                    box.messages[:] = [m for m in box.messages if "\\Deleted" not in m.flags]
                elif verb == "LOGOUT":
                    self.reply("* BYE")
                    self.reply(f"{tag} OK LOGOUT completed")
                    return
                else:
                    self.reply(f"{tag} BAD unsupported")
                    continue
                self.reply(f"{tag} OK {verb} completed")

        def uid(self, args: str) -> None:
            sub, _, rest = args.partition(" ")
            by_uid = {str(m.uid): m for m in box.messages}
            if sub.upper() == "SEARCH":
                unseen = [str(m.uid) for m in box.messages if "\\Seen" not in m.flags]
                self.reply("* SEARCH " + " ".join(unseen))
            elif sub.upper() == "FETCH":
                uid = rest.split()[0]
                message = by_uid[uid]
                self.reply(f"* {message.uid} FETCH (UID {uid} BODY[] {{{len(message.raw)}}}")
                self.wfile.write(message.raw)
                self.reply(")")
            elif sub.upper() == "STORE":
                uid, _, flags = rest.partition(" ")
                by_uid[uid].flags |= set(re.findall(r"\\\w+", flags))
            elif sub.upper() == "COPY":
                uid, _, folder = rest.partition(" ")
                box.folders.setdefault(folder.strip('"'), []).append(by_uid[uid].raw)

    return Handler


class ImapServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), make_handler(self.mailbox))
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
