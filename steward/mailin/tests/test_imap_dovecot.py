"""The IMAP poll against a real mail server (Dovecot, over IMAPS with a certificate from a
private authority), not only against the minimal server of test_receiving."""

from __future__ import annotations

import imaplib
import shutil
import ssl
import tempfile
from pathlib import Path

import pytest

from steward.incidents.models import Incident
from steward.mailin.models import InboundMessage
from steward.mailin.receiving.imap import ImapSettings, imap_poll
from steward.mailin.tests import dovecot
from steward.mailin.tests.conftest import fixture

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(dovecot.available() is not None, reason=str(dovecot.available())),
]

BROKEN = (
    b"From: x@example.com\r\nMessage-ID: <broken-1@example.com>\r\nSubject: broken\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
    b"--b1\r\nContent-Type: text/plain\r\n\r\nno closing boundary\r\n"
)
AUTO_REPLY = (
    b"From: zhang.wei@example.com\r\nTo: helpdesk@steward.test\r\n"
    b"Message-ID: <ooo-1@example.com>\r\nSubject: =?UTF-8?B?5LiN5Zyo5Yqe5YWs5a6k?=\r\n"
    b"Auto-Submitted: auto-replied\r\n\r\nI am away until Monday.\r\n"
)


@pytest.fixture(scope="module")
def server():
    # Not pytest's tmp_path: its parent is private to us, and Dovecot's own accounts must
    # read the configuration and the mail folder.
    root = Path(tempfile.mkdtemp(prefix="steward-dovecot-"))
    instance = dovecot.Dovecot(root)
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def config(server):
    return ImapSettings(
        host="127.0.0.1", port=server.port, user=dovecot.USER, password=dovecot.PASSWORD,
        use_ssl=True, ca_file=server.ca_file, timeout=10,
    )


def _client(server) -> imaplib.IMAP4_SSL:
    context = ssl.create_default_context(cafile=server.ca_file)
    client = imaplib.IMAP4_SSL("127.0.0.1", server.port, ssl_context=context, timeout=10)
    client.login(dovecot.USER, dovecot.PASSWORD)
    return client


def _uids(server, mailbox: str, criterion: str) -> list[bytes]:
    client = _client(server)
    try:
        client.select(mailbox)
        _, data = client.uid("SEARCH", criterion)
        return list((data[0] or b"").split())
    finally:
        client.logout()


def _empty(server) -> None:
    client = _client(server)
    try:
        for mailbox in ("INBOX", "Steward"):
            if client.select(mailbox)[0] == "OK":
                client.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
                client.expunge()
    finally:
        client.logout()


@pytest.mark.django_db
def test_the_poll_ingests_from_a_real_server_marks_seen_and_reads_nothing_twice(
    requester, server, config
):
    _empty(server)
    server.deliver(fixture("new_gb2312.eml"))
    server.deliver(AUTO_REPLY)
    server.deliver(BROKEN)

    results = imap_poll(config)
    again = imap_poll(config)

    assert [r.status for r in results] == ["created", "ignored_auto", "failed"]
    assert again == []
    incident = Incident.objects.get()
    assert (incident.title, incident.requester) == ("三楼打印机卡纸（朱镕基楼）", requester)
    assert InboundMessage.objects.filter(status="failed").count() == 1
    assert set(InboundMessage.objects.values_list("source", flat=True)) == {"imap"}
    assert len(_uids(server, "INBOX", "SEEN")) == 3
    assert _uids(server, "INBOX", "UNSEEN") == []


@pytest.mark.django_db
def test_the_poll_moves_handled_messages_to_the_done_folder(requester, server, config):
    _empty(server)
    client = _client(server)
    client.create("Steward")
    client.logout()
    server.deliver(fixture("new_gb2312.eml"))

    [result] = imap_poll(ImapSettings(**{**config.__dict__, "done_mailbox": "Steward"}))

    assert result.status == "created"
    assert _uids(server, "INBOX", "ALL") == []
    assert len(_uids(server, "Steward", "ALL")) == 1


@pytest.mark.django_db
def test_a_certificate_the_client_does_not_trust_is_refused_and_nothing_is_read(
    requester, server, config
):
    _empty(server)
    server.deliver(fixture("new_gb2312.eml"))

    with pytest.raises(ssl.SSLCertVerificationError):
        imap_poll(ImapSettings(**{**config.__dict__, "ca_file": ""}))

    assert Incident.objects.count() == 0
    assert len(_uids(server, "INBOX", "UNSEEN")) == 1
