"""``mail_ingest``: new records, replies, duplicates, automatic mail and the failed-mail queue."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail as outbox

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict
from steward.incidents.models import Comment, Incident
from steward.incidents.services import incident_cancel
from steward.mailin.models import InboundMessage
from steward.mailin.services import mail_ingest, mail_retry
from steward.mailin.tests.conftest import fixture, sample
from steward.testing import factories
from steward.workitems.models import Attachment

pytestmark = pytest.mark.django_db


def files_of(record):
    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .order_by("pk")
        .values_list("filename", "media_type", "uploaded_by_id")
    )


def test_a_new_message_from_a_known_person_raises_an_incident(requester):
    raw = fixture("new_gb2312.eml")

    result = mail_ingest(raw=raw, source="pipe")

    incident = Incident.objects.get()
    assert (result.status, result.record) == ("created", incident)
    assert (incident.title, incident.requester, incident.channel, incident.status) == (
        "三楼打印机卡纸（朱镕基楼）",
        requester,
        "email",
        "new",
    )
    assert (
        incident.description
        == "三楼的打印机一直卡纸，请尽快处理。\n见截图：\n\n-- \n张伟\n信息技术部"
    )
    assert files_of(incident) == [
        ("screenshot.png", "image/png", requester.pk),
        ("故障报告.txt", "text/plain", requester.pk),
        ("original-message.eml", "message/rfc822", requester.pk),
    ]
    row = InboundMessage.objects.get()
    assert (row.message_id, row.source, row.sender, row.subject, row.status) == (
        "<new-1@client.example>",
        "pipe",
        "zhang.wei@example.com",
        "三楼打印机卡纸（朱镕基楼）",
        "created",
    )
    assert (row.record_number, row.error) == (incident.number, "")
    assert row.raw.read() == raw
    sources = set(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Incident), object_id=str(incident.pk)
        ).values_list("source", flat=True)
    )
    assert sources == {"email"}


def test_a_program_in_a_message_is_left_out_with_a_note_and_the_rest_is_kept(requester):
    message = EmailMessage()
    message["From"] = requester.email
    message["To"] = "itsm@example.com"
    message["Subject"] = "收银机驱动安装失败"
    message["Message-ID"] = "<program-1@client.example>"
    message.set_content("安装包和截图见附件。")
    message.add_attachment(b"MZ\x90\x00", maintype="application", subtype="octet-stream",
                           filename="driver_setup.exe")
    message.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="error.png")

    result = mail_ingest(raw=message.as_bytes(), source="pipe")

    incident = Incident.objects.get()
    assert result.status == "created"
    assert [f[0] for f in files_of(incident)] == ["error.png", "original-message.eml"]
    row = InboundMessage.objects.get()
    assert row.error.startswith("driver_setup.exe: ")
    assert ".exe" in row.error


def test_a_reply_by_in_reply_to_becomes_a_public_comment_without_the_quote(requester):
    mail_ingest(raw=fixture("new_gb2312.eml"), source="imap")
    incident = Incident.objects.get()

    result = mail_ingest(
        raw=fixture("reply_html_only.eml", in_reply_to="<new-1@client.example>"), source="imap"
    )

    comment = Comment.objects.get()
    assert (result.status, result.record) == ("appended", incident)
    assert (comment.incident, comment.author, comment.visibility, comment.body) == (
        incident,
        requester,
        "public",
        "已经换了硒鼓，还是卡纸。",
    )
    assert Incident.objects.count() == 1
    assert files_of(incident)[-1] == ("original-message.eml", "message/rfc822", requester.pk)
    assert InboundMessage.objects.get(message_id="<reply-1@client.example>").record_number == (
        incident.number
    )


def test_a_reply_by_the_number_in_the_subject_is_added_to_that_incident(requester):
    incident = factories.incident(requester=requester, title="打印机卡纸")

    result = mail_ingest(
        raw=fixture("reply_subject_number.eml", number=incident.number), source="lmtp"
    )

    assert (result.status, result.record) == ("appended", incident)
    assert list(Comment.objects.values_list("incident", "author", "body")) == [
        (incident.pk, requester.pk, "打印机已经恢复，谢谢！")
    ]


def test_an_agent_reply_is_a_public_comment_by_the_agent(requester, agent):
    incident = factories.incident(requester=requester)
    raw = fixture("reply_subject_number.eml", number=incident.number).replace(
        b"From: Zhang Wei <zhang.wei@example.com>", b"From: AGENT@steward.test"
    )

    result = mail_ingest(raw=raw, source="lmtp")

    comment = Comment.objects.get()
    assert (result.status, comment.author, comment.visibility) == ("appended", agent, "public")


def test_the_same_message_twice_creates_nothing_new(requester):
    raw = fixture("new_gb2312.eml")
    first = mail_ingest(raw=raw, source="imap")

    second = mail_ingest(raw=raw, source="imap")

    assert (second.status, second.message, second.record) == ("duplicate", first.message, None)
    assert (Incident.objects.count(), InboundMessage.objects.count()) == (1, 1)
    assert Attachment.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("sisimai__lhost-exim-06.eml", "ignored_bounce"),
        ("sisimai__lhost-postfix-01.eml", "ignored_bounce"),
        ("sisimai__lhost-gmail-01.eml", "ignored_bounce"),
        ("sisimai__lhost-office365-01.eml", "ignored_bounce"),
        ("sisimai__rfc3464-01.eml", "ignored_bounce"),
        ("sisimai__rfc3834-01.eml", "ignored_auto"),
        ("sisimai__rfc3834-02.eml", "ignored_auto"),
        ("sisimai__rfc3834-03.eml", "ignored_auto"),
        ("sisimai__rfc3834-06.eml", "ignored_auto"),
        ("flanker__disposition-notification.eml", "ignored_receipt"),
    ],
)
def test_automatic_mail_is_recorded_and_raises_nothing(
    placeholder, django_capture_on_commit_callbacks, name, status
):
    with django_capture_on_commit_callbacks(execute=True):
        result = mail_ingest(raw=sample(name), source="imap")

    row = InboundMessage.objects.get()
    assert (result.status, row.status, row.record_number, row.error) == (status, status, "", "")
    assert (Incident.objects.count(), Comment.objects.count(), len(outbox.outbox)) == (0, 0, 0)


def test_a_broken_message_is_queued_as_failed_and_the_next_one_is_processed(requester):
    broken = sample("php-mime-mail-parser__failure.eml")

    failed = mail_ingest(raw=broken, source="imap")
    after = mail_ingest(raw=fixture("new_gb2312.eml"), source="imap")

    assert (failed.status, failed.record) == ("failed", None)
    assert failed.message.error == "Broken MIME structure: CloseBoundaryNotFoundDefect."
    assert failed.message.raw.read() == broken
    assert after.status == "created"
    assert list(InboundMessage.objects.order_by("pk").values_list("status", flat=True)) == [
        "failed",
        "created",
    ]


def test_a_message_without_a_sender_is_queued_as_failed():
    result = mail_ingest(raw=sample("flanker__attached-pdf.eml"), source="pipe")

    assert (result.status, result.message.error) == (
        "failed",
        "The message has no sender address (From).",
    )
    assert result.message.message_id.startswith("<sha256.")


def test_an_unknown_sender_raises_an_incident_for_the_placeholder_requester(placeholder):
    result = mail_ingest(raw=sample("sisimai__is-not-bounce-01.eml"), source="imap")

    incident = Incident.objects.get()
    assert (result.status, incident.requester, incident.title) == (
        "created",
        placeholder,
        "にゃんこ",
    )
    assert incident.description.startswith(
        "E-mail from an unknown sender: Kijitora <shironeko@example.com>\n\nにゃーー"
    )


def test_an_unknown_sender_without_a_placeholder_goes_to_the_failed_queue(settings):
    settings.STEWARD_MAIL_UNKNOWN_SENDER = ""

    result = mail_ingest(raw=sample("sisimai__is-not-bounce-01.eml"), source="imap")

    assert (result.status, result.message.error) == (
        "failed",
        "UnknownSender: No active person has the address 'shironeko@example.com', and no "
        "placeholder requester is configured (STEWARD_MAIL_UNKNOWN_SENDER).",
    )
    assert (Incident.objects.count(), Attachment.objects.count()) == (0, 0)


def test_someone_not_on_the_incident_replying_gets_a_new_incident(requester):
    incident = factories.incident(requester=requester)
    other = factories.person(email="wang.fang@example.com")
    raw = fixture("reply_subject_number.eml", number=incident.number).replace(
        b"Zhang Wei <zhang.wei@example.com>", b"wang.fang@example.com"
    )

    result = mail_ingest(raw=raw, source="imap")

    created = result.record
    assert (result.status, created.requester, Comment.objects.count()) == ("created", other, 0)
    assert created.description.startswith(f"In reply to {incident.number}.\n\n打印机已经恢复")


def test_an_unknown_sender_replying_to_an_incident_gets_a_new_incident(requester, placeholder):
    incident = factories.incident(requester=requester)
    raw = fixture("reply_subject_number.eml", number=incident.number).replace(
        b"Zhang Wei <zhang.wei@example.com>", b"stranger@elsewhere.example"
    )

    result = mail_ingest(raw=raw, source="imap")

    assert (result.status, result.record.requester, Comment.objects.count()) == (
        "created",
        placeholder,
        0,
    )


def test_a_reply_to_a_cancelled_incident_raises_a_new_one(requester, agent):
    incident = factories.incident(requester=requester)
    incident_cancel(actor=agent, incident=incident, reason="重复报告")

    result = mail_ingest(
        raw=fixture("reply_subject_number.eml", number=incident.number), source="imap"
    )

    assert result.status == "created"
    assert result.record.pk != incident.pk
    assert Comment.objects.count() == 0


def test_a_failed_message_is_retried_once_its_cause_is_fixed(settings):
    settings.STEWARD_MAIL_UNKNOWN_SENDER = ""
    failed = mail_ingest(raw=sample("sisimai__is-not-bounce-01.eml"), source="imap").message
    sender = factories.person(email="Shironeko@example.com")

    result = mail_retry(message=failed)

    failed.refresh_from_db()
    incident = Incident.objects.get()
    assert (result.status, result.record, incident.requester) == ("created", incident, sender)
    assert (failed.status, failed.record_number, failed.error) == ("created", incident.number, "")
    assert InboundMessage.objects.count() == 1


def test_a_retry_that_fails_again_keeps_the_new_error(settings):
    settings.STEWARD_MAIL_UNKNOWN_SENDER = ""
    failed = mail_ingest(raw=sample("sisimai__is-not-bounce-01.eml"), source="imap").message
    settings.STEWARD_MAIL_UNKNOWN_SENDER = "nobody-here"

    result = mail_retry(message=failed)

    assert (result.status, result.message.status) == ("failed", "failed")
    assert result.message.error.startswith("UnknownSender: No active person")
    assert Incident.objects.count() == 0


def test_only_failed_messages_can_be_retried(requester):
    created = mail_ingest(raw=fixture("new_gb2312.eml"), source="imap").message

    with pytest.raises(Conflict) as refused:
        mail_retry(message=created)

    assert refused.value.code == "not_failed"
    assert Incident.objects.count() == 1
