"""E-mail delivery through a real SMTP server (aiosmtpd on 127.0.0.1): headers, threading,
language, and retries on temporary refusals."""

from __future__ import annotations

import pytest

from steward.core.outbox import OutboxStatus
from steward.notifications.models import Delivery
from steward.notifications.services import delivery_process, notification_send
from steward.notifications.tests import factories
from steward.notifications.tests.servers import free_port
from steward.testing import factories as org

pytestmark = pytest.mark.django_db


def send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notification_send(**kwargs)


@pytest.mark.parametrize(
    ("_case", "language", "subject", "greeting"),
    [
        ("chinese", "zh-hans", "Steward 测试通知", "张伟，您好："),
        ("english", "en", "Steward test notification", "Hello Wei Zhang,"),
    ],
)
def test_email_arrives_in_the_recipient_language_with_a_stable_message_id(
    smtp, django_capture_on_commit_callbacks, _case, language, subject, greeting,
):
    person = factories.person(name="张伟", name_en="Wei Zhang", email="zw@example.com",
                              language=language)

    [notification] = send(django_capture_on_commit_callbacks, event="notification.test",
                          recipients=[person], context={})

    [message] = smtp.mailbox.messages
    delivery = notification.deliveries.get()
    expected_id = f"<notification.{notification.pk}@steward.test>"
    assert smtp.mailbox.envelopes == [("steward@steward.test", ["zw@example.com"])]
    assert message["Subject"] == subject
    assert message["To"] == "zw@example.com"
    assert message["Message-ID"] == expected_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == ("zh-Hans" if language == "zh-hans" else "en")
    assert message["In-Reply-To"] is None
    assert message["References"] is None
    assert message.get_content().startswith(greeting)
    assert (delivery.status, delivery.attempts, delivery.external_id) == (
        OutboxStatus.DONE, 1, expected_id
    )
    assert delivery.delivered_at is not None


def test_later_mails_about_the_same_record_thread_under_the_first(
    smtp, django_capture_on_commit_callbacks,
):
    person = factories.person(email="p@example.com", language="en")
    memo = org.memo(requester=person)
    other_memo = org.memo(requester=person)
    context = {"number": memo.number, "title": memo.title}

    [first] = send(django_capture_on_commit_callbacks, event="record.updated",
                   recipients=[person], record=memo, context=context)
    send(django_capture_on_commit_callbacks, event="record.updated", recipients=[person],
         record=other_memo, context={"number": other_memo.number, "title": other_memo.title})
    [second] = send(django_capture_on_commit_callbacks, event="record.updated",
                    recipients=[person], record=memo, context=context)
    [third] = send(django_capture_on_commit_callbacks, event="record.updated",
                   recipients=[person], record=memo, context=context)

    first_mail, unrelated, second_mail, third_mail = smtp.mailbox.messages
    root = f"<notification.{first.pk}@steward.test>"
    assert (first_mail["In-Reply-To"], first_mail["References"]) == (None, None)
    assert (unrelated["In-Reply-To"], unrelated["References"]) == (None, None)
    assert second_mail["Message-ID"] == f"<notification.{second.pk}@steward.test>"
    assert (second_mail["In-Reply-To"], second_mail["References"]) == (root, root)
    assert (third_mail["In-Reply-To"], third_mail["References"]) == (root, root)
    assert second_mail["Subject"] == f"[{memo.number}] {memo.title} was updated"


def test_threads_are_per_recipient(smtp, django_capture_on_commit_callbacks):
    first_person = factories.person(email="a@example.com")
    memo = org.memo(requester=first_person)
    later_person = factories.person(email="b@example.com")
    context = {"number": memo.number, "title": memo.title}
    send(django_capture_on_commit_callbacks, event="record.updated", recipients=[first_person],
         record=memo, context=context)

    send(django_capture_on_commit_callbacks, event="record.updated", recipients=[later_person],
         record=memo, context=context)

    assert smtp.mailbox.messages[1]["In-Reply-To"] is None


def test_temporary_smtp_refusal_is_retried_later(smtp, django_capture_on_commit_callbacks):
    smtp.mailbox.answer = "451 4.3.0 Try again later"
    person = factories.person(email="p@example.com")

    [notification] = send(django_capture_on_commit_callbacks, event="notification.test",
                          recipients=[person], context={})

    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 1)
    assert delivery.last_error.startswith("The mail server answered 451")
    assert smtp.mailbox.messages == []


def test_permanent_smtp_refusal_fails_at_once(smtp, django_capture_on_commit_callbacks):
    smtp.mailbox.answer = "554 5.7.1 Rejected"
    person = factories.person(email="p@example.com")

    [notification] = send(django_capture_on_commit_callbacks, event="notification.test",
                          recipients=[person], context={})

    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.status, delivery.attempts) == (OutboxStatus.FAILED, 1)
    assert delivery.last_error.startswith("The mail server answered 554")


def test_unreachable_mail_server_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    person = factories.person(email="p@example.com")
    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    delivery = delivery_process(delivery_id=notification.deliveries.get().pk)

    assert delivery is not None
    assert (delivery.status, delivery.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in delivery.last_error
