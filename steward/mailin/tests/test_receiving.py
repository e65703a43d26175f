"""The three ways in: the pipe command, the LMTP/SMTP receiver (a real client against it) and
the IMAP poll (the stdlib client against a minimal IMAP server written for the test)."""

from __future__ import annotations

import io
import smtplib
import sys

import pytest
from django.core.management import call_command

from steward.incidents.models import Comment, Incident
from steward.mailin.models import InboundMessage
from steward.mailin.receiving.imap import ImapSettings, imap_poll
from steward.mailin.receiving.lmtp import receiver
from steward.mailin.tests.conftest import fixture, sample
from steward.mailin.tests.imap_server import PASSWORD, USER, ImapServer
from steward.notifications.tests.servers import free_port
from steward.testing import factories


@pytest.fixture
def stdin(monkeypatch):
    def feed(raw: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))

    return feed


@pytest.mark.django_db
def test_the_pipe_command_ingests_standard_input(requester, stdin):
    stdin(fixture("new_gb2312.eml"))
    out = io.StringIO()

    call_command("mail_ingest", stdout=out)

    incident = Incident.objects.get()
    assert out.getvalue() == f"created {incident.number} <new-1@client.example>\n"
    assert InboundMessage.objects.get().source == "pipe"


@pytest.mark.django_db
def test_the_pipe_command_reports_a_failed_message_and_exits_1_when_strict(stdin):
    stdin(sample("php-mime-mail-parser__failure.eml"))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("mail_ingest", "--strict", stdout=out, stderr=err)

    assert exit_info.value.code == 1
    assert out.getvalue().startswith("failed <sha256.")
    assert err.getvalue() == "Broken MIME structure: CloseBoundaryNotFoundDefect.\n"


@pytest.fixture
def running_receiver(request):
    lmtp = request.param
    port = free_port()
    controller = receiver(host="127.0.0.1", port=port, lmtp=lmtp, domains=("steward.test",))
    controller.start()
    yield lmtp, port
    controller.stop()


@pytest.mark.slow
# The receiver ingests in its own thread (and database connection), so the test commits;
# serialized_rollback restores the seeded rows (message templates) the flush removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("running_receiver", [True, False], ids=["lmtp", "smtp"], indirect=True)
def test_the_receiver_ingests_what_a_real_client_delivers(requester, running_receiver):
    lmtp, port = running_receiver
    client = smtplib.LMTP("127.0.0.1", port) if lmtp else smtplib.SMTP("127.0.0.1", port)
    with client:
        refused = client.sendmail(
            "zhang.wei@example.com", ["helpdesk@steward.test"], fixture("new_gb2312.eml")
        )
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("x@example.com", ["someone@other.example"], b"Subject: x\r\n\r\nx")

    assert refused == {}
    incident = Incident.objects.get()
    assert (incident.title, incident.requester) == ("三楼打印机卡纸（朱镕基楼）", requester)
    assert InboundMessage.objects.get().source == "lmtp"


@pytest.fixture
def imap():
    server = ImapServer()
    server.start()
    yield server
    server.stop()


@pytest.mark.django_db
def test_the_imap_poll_ingests_unseen_messages_and_marks_them_seen(requester, imap):
    imap.mailbox.add(fixture("new_gb2312.eml"))
    imap.mailbox.add(sample("sisimai__rfc3834-01.eml"))
    imap.mailbox.add(sample("php-mime-mail-parser__failure.eml"))
    imap.mailbox.add(fixture("reply_html_only.eml", in_reply_to="<new-1@client.example>"))
    config = ImapSettings(
        host="127.0.0.1", port=imap.port, user=USER, password=PASSWORD, use_ssl=False
    )

    results = imap_poll(config)
    again = imap_poll(config)

    assert [r.status for r in results] == ["created", "ignored_auto", "failed", "appended"]
    assert again == []
    assert [m.flags for m in imap.mailbox.messages] == [{"\\Seen"}] * 4
    assert Comment.objects.get().body == "已经换了硒鼓，还是卡纸。"
    assert set(InboundMessage.objects.values_list("source", flat=True)) == {"imap"}


@pytest.mark.django_db
def test_the_imap_poll_can_move_handled_messages(requester, imap):
    imap.mailbox.add(fixture("new_gb2312.eml"))
    config = ImapSettings(
        host="127.0.0.1",
        port=imap.port,
        user=USER,
        password=PASSWORD,
        use_ssl=False,
        done_mailbox="Steward",
    )

    [result] = imap_poll(config)

    assert result.status == "created"
    assert imap.mailbox.messages == []
    assert imap.mailbox.folders == {"Steward": [fixture("new_gb2312.eml")]}


@pytest.mark.slow
@pytest.mark.django_db
def test_a_reply_to_stewards_own_acknowledgement_threads_onto_the_incident(
    smtp, django_capture_on_commit_callbacks
):
    requester = factories.person(email="li.na@example.com", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        incident = factories.incident(requester=requester, title="VPN 连不上")
    [acknowledgement] = smtp.mailbox.messages
    reply = (
        "From: li.na@example.com\r\n"
        "To: steward@steward.test\r\n"
        "Subject: Re: something else entirely\r\n"
        "Message-ID: <li-reply@example.com>\r\n"
        f"In-Reply-To: {acknowledgement['Message-ID']}\r\n"
        f"References: {acknowledgement['Message-ID']}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "重启以后可以了。\r\n\r\n"
        f"> {acknowledgement.get_content().splitlines()[0]}\r\n"
    ).encode()

    from steward.mailin.services import mail_ingest

    result = mail_ingest(raw=reply, source="imap")

    assert acknowledgement["Message-ID"].startswith("<notification.")
    assert (result.status, result.record) == ("appended", incident)
    assert list(Comment.objects.values_list("incident", "author", "body")) == [
        (incident.pk, requester.pk, "重启以后可以了。")
    ]


@pytest.mark.django_db
def test_the_retry_command_processes_the_failed_queue(settings):
    settings.STEWARD_MAIL_UNKNOWN_SENDER = ""
    from steward.mailin.services import mail_ingest

    failed = mail_ingest(raw=sample("sisimai__is-not-bounce-01.eml"), source="imap").message
    factories.person(email="shironeko@example.com")
    out = io.StringIO()

    call_command("mail_retry", "--all", stdout=out)

    number = Incident.objects.get().number
    assert out.getvalue() == f"{failed.pk} created {number}\n"


@pytest.fixture
def imap_configured(settings, imap):
    settings.STEWARD_IMAP_HOST = "127.0.0.1"
    settings.STEWARD_IMAP_PORT = imap.port
    settings.STEWARD_IMAP_SSL = False
    settings.STEWARD_IMAP_USER = USER
    settings.STEWARD_IMAP_PASSWORD = PASSWORD
    return imap


@pytest.mark.django_db
def test_the_poll_command_reads_the_configured_mailbox(requester, imap_configured):
    imap_configured.mailbox.add(fixture("new_gb2312.eml"))
    out = io.StringIO()

    call_command("mail_poll_imap", stdout=out)

    number = Incident.objects.get().number
    assert out.getvalue() == (f"created {number} <new-1@client.example>\n1 message(s) ingested.\n")


@pytest.mark.django_db
def test_the_periodic_job_polls_the_configured_mailbox(requester, imap_configured):
    from steward.mailin.tasks import mail_poll_imap

    imap_configured.mailbox.add(fixture("new_gb2312.eml"))

    assert mail_poll_imap.call_local() == 1
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_the_periodic_job_does_nothing_without_a_mailbox(settings):
    from steward.mailin.tasks import mail_poll_imap

    settings.STEWARD_IMAP_HOST = ""

    assert mail_poll_imap.call_local() == 0
