"""Service tests of notification_send: rows written in the caller's transaction, channels from
preferences, templates in the recipient's language, skipped channels with their reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from steward.core.errors import NotPermitted, ValidationFailed
from steward.core.outbox import OutboxStatus
from steward.notifications.models import Delivery, Notification
from steward.notifications.services import notification_send, notification_send_test
from steward.notifications.tests import factories
from steward.testing import factories as org

pytestmark = pytest.mark.django_db

URL = "https://robots.example.com/hook"


def channels_of(notification: Notification) -> list[tuple[str, str, bool, str]]:
    return [
        (d.channel, d.target, d.skipped, d.last_error)
        for d in notification.deliveries.order_by("channel")
    ]


@pytest.mark.parametrize(
    ("_case", "language", "subject"),
    [
        ("chinese", "zh-hans", "Steward 测试通知"),
        ("english", "en", "Steward test notification"),
    ],
)
def test_message_is_rendered_in_the_recipient_language(_case, language, subject):
    person = factories.person(name="王芳", name_en="Fang Wang", language=language)

    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    assert (notification.language, notification.subject) == (language, subject)
    assert notification.body.startswith("王芳" if language == "zh-hans" else "Hello Fang Wang,")


def test_context_fills_the_template():
    person = factories.person(language="en")

    [notification] = notification_send(
        event="account.locked", recipients=[person],
        context={"failed_logins": 5, "locked_until": "10:45"},
    )

    assert notification.subject == "Your Steward account was locked"
    assert "After 5 failed sign-in attempts your account is locked until 10:45." in (
        notification.body
    )


def test_one_delivery_per_preferred_channel_with_its_target(settings):
    settings.STEWARD_SMS_URL = "https://sms.example.com/send"
    person = factories.person(
        email="li@example.com", phone="13800000000", wecom_userid="LiLei",
        notification_channels=["email", "sms", "wecom"],
    )
    org.team(members=(person,))  # a team without a robot
    wecom = factories.robot(kind="wecom", url=URL, team=org.team(members=(person,)))

    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    assert channels_of(notification) == [
        ("email", "li@example.com", False, ""),
        ("sms", "13800000000", False, ""),
        ("wecom", "LiLei", False, ""),
    ]
    assert notification.deliveries.get(channel="wecom").robot == wecom
    assert set(notification.deliveries.values_list("status", flat=True)) == {"pending"}


def test_team_robot_is_preferred_to_the_default_robot():
    default = factories.robot(kind="dingtalk", url=URL)
    person = factories.person(dingtalk_userid="d1", notification_channels=["dingtalk"])
    other = factories.person(dingtalk_userid="d2", notification_channels=["dingtalk"])
    team = org.team(members=(person,))
    team_robot = factories.robot(kind="dingtalk", url=URL, team=team)

    sent = notification_send(event="notification.test", recipients=[person, other], context={})

    robots = [n.deliveries.get().robot for n in sent]
    assert robots == [team_robot, default]


@pytest.mark.parametrize(
    ("_case", "fields", "reason"),
    [
        ("email without address", {"email": "", "notification_channels": ["email"]},
         "The person has no e-mail address."),
        ("sms without phone", {"phone": "", "notification_channels": ["sms"]},
         "The person has no phone number."),
        ("feishu without robot", {"feishu_userid": "ou_1", "notification_channels": ["feishu"]},
         "No enabled Feishu bot for the person's teams and no default."),
        ("webhook without robot", {"notification_channels": ["webhook"]},
         "No enabled webhook for the person's teams and no default."),
    ],
)
def test_unusable_channel_is_kept_as_skipped_with_the_reason(_case, fields, reason):
    person = factories.person(**fields)

    with transaction.atomic():
        [notification] = notification_send(event="notification.test", recipients=[person],
                                           context={})

    delivery = notification.deliveries.get()
    assert (delivery.skipped, delivery.status, delivery.attempts, delivery.last_error) == (
        True, OutboxStatus.FAILED, 0, reason
    )
    assert delivery.display_status == "skipped"


def test_chat_channel_without_chat_user_id_is_skipped():
    factories.robot(kind="wecom", url=URL)
    person = factories.person(wecom_userid="", notification_channels=["wecom"])

    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    assert channels_of(notification) == [
        ("wecom", "", True, "The person has no WeCom user id.")
    ]


def test_sms_is_skipped_while_no_provider_is_configured(settings):
    settings.STEWARD_SMS_URL = None
    person = factories.person(phone="13800000000", notification_channels=["sms"])

    [notification] = notification_send(event="notification.test", recipients=[person],
                                       context={})

    assert channels_of(notification) == [
        ("sms", "13800000000", True, "SMS is not configured (STEWARD_SMS_URL).")
    ]


def test_jobs_are_enqueued_after_commit_for_sendable_deliveries_only(
    django_capture_on_commit_callbacks,
):
    person = factories.person(email="a@example.com", phone="",
                              notification_channels=["email", "sms"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(event="notification.test", recipients=[person], context={})

    assert len(callbacks) == 1


def test_rolled_back_business_change_leaves_no_notification_and_no_job(
    django_capture_on_commit_callbacks,
):
    person = factories.person()

    def business_change_that_fails() -> None:
        with transaction.atomic():
            notification_send(event="notification.test", recipients=[person], context={})
            raise RuntimeError("the business change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(
        RuntimeError
    ):
        business_change_that_fails()

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0


def test_unknown_event_is_refused_and_writes_nothing():
    person = factories.person()

    with pytest.raises(ValidationFailed) as caught:
        notification_send(event="no.such.event", recipients=[person], context={})

    assert caught.value.code == "unknown_event"
    assert Notification.objects.count() == 0


def test_inactive_and_repeated_recipients_are_notified_once_or_not_at_all():
    active = factories.person()
    inactive = factories.person(is_active=False)

    sent = notification_send(event="notification.test", recipients=[active, inactive, active],
                             context={})

    assert [n.recipient for n in sent] == [active]


def test_record_sets_the_link_target_and_thread_key():
    requester = factories.person()
    memo = org.memo(requester=requester)

    [notification] = notification_send(
        event="record.updated", recipients=[requester], record=memo,
        context={"number": memo.number, "title": memo.title, "summary": "Status: resolved"},
    )

    assert notification.record == memo
    assert notification.thread_key == f"sample.memo:{memo.pk}"
    assert notification.subject == f"[{memo.number}] {memo.title} 已更新"


def test_test_message_goes_to_the_actor():
    person = factories.person()

    notification = notification_send_test(actor=person)

    assert (notification.event, notification.recipient, notification.actor) == (
        "notification.test", person, person
    )


def test_test_message_needs_a_signed_in_person():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermitted):
        notification_send_test(actor=AnonymousUser())

    assert Notification.objects.count() == 0


def test_times_are_shown_in_the_recipient_time_zone():
    person = factories.person(language="en", time_zone="Asia/Shanghai")
    locked_until = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)

    [notification] = notification_send(
        event="account.locked", recipients=[person],
        context={"failed_logins": 5, "locked_until": locked_until},
    )

    assert "locked until March 2, 2026, 10:30 a.m." in notification.body
