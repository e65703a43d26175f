"""Outbound notifications: message templates, chat robots, the egress allow-list, and the
notifications with their per-channel deliveries (the outbox rows).

See steward/notifications/README.md for how a message travels from ``notification_send`` to a
mailbox or a chat group.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.core.outbox import OutboxItem, OutboxStatus
from steward.identity.models import Language, NotificationChannelKind


class RobotKind(models.TextChoices):
    """The kinds of HTTP endpoint a message can be posted to."""

    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    FEISHU = "feishu", _("Feishu custom bot")
    WEBHOOK = "webhook", _("Generic webhook")


DELIVERY_STATUS_LABELS = {
    "pending": _("Pending"),
    "processing": _("Processing"),
    "done": _("Delivered"),
    "failed": _("Failed"),
    "skipped": _("Skipped"),
}


class MessageTemplate(models.Model):
    """The wording of one event's message in one language.

    ``subject`` and ``body`` are Django template text rendered with the event's context
    (auto-escaping off: messages are plain text or chat markdown, never HTML).
    """

    event = models.CharField(_("event"), max_length=100)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="unique_template_language")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


class ChatRobot(TimeStampedModel):
    """A chat group robot or generic webhook that messages are posted to.

    A robot with a team serves that team's members; a robot without a team is the default of
    its kind. At most one enabled robot per team and kind, and one enabled default per kind.
    ``secret`` signs the requests (DingTalk and Feishu signing, webhook HMAC); it is never shown.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RobotKind.choices)
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="robots",
        verbose_name=_("team"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind"], condition=Q(enabled=True, team__isnull=False),
                name="unique_enabled_team_robot",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(enabled=True, team__isnull=True),
                name="unique_enabled_default_robot",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EgressAllowRule(models.Model):
    """An administrator's exception to the egress guard: a network (CIDR) or a host name that
    outbound requests may reach although it is private, loopback or link-local."""

    network = models.CharField(_("network (CIDR)"), max_length=64, blank=True)
    host = models.CharField(_("host name"), max_length=253, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "host"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(network="") & ~Q(host="")) | (~Q(network="") & Q(host="")),
                name="egress_rule_network_xor_host",
            ),
        ]

    def __str__(self) -> str:
        return self.network or self.host

    def matches(self, host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self.host:
            return self.host.lower().rstrip(".") == host.lower().rstrip(".")
        return address in ipaddress.ip_network(self.network, strict=False)


class Notification(models.Model):
    """One logical message to one person about one event, in that person's language.

    It may be about a record (``record``, a generic relation). E-mails with the same
    ``thread_key`` to the same person form one thread in the mail client.
    """

    event = models.CharField(_("event"), max_length=100, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    thread_key = models.CharField(_("thread key"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["recipient", "thread_key"], name="notification_thread")]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"


class Delivery(OutboxItem):
    """The sending of one notification through one channel: an outbox row.

    ``target`` is the address used (e-mail address, phone number, chat user id mentioned, or
    empty for a webhook). A delivery that could not even be attempted (no address, no robot)
    is kept as ``skipped`` with the reason in ``last_error``, so the log explains it.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=NotificationChannelKind.choices)
    robot = models.ForeignKey(
        ChatRobot, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    target = models.CharField(_("target"), max_length=254, blank=True)
    skipped = models.BooleanField(_("skipped"), default=False)
    external_id = models.CharField(_("external message id"), max_length=255, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="unique_delivery_channel"
            ),
            models.CheckConstraint(
                condition=Q(skipped=False) | Q(status=OutboxStatus.FAILED),
                name="skipped_delivery_is_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"

    @property
    def display_status(self) -> str:
        """The status shown in the log: the outbox status, or ``skipped``."""
        return "skipped" if self.skipped else self.status

    @property
    def display_status_label(self) -> str:
        return str(DELIVERY_STATUS_LABELS.get(self.display_status, self.display_status))

    @property
    def can_retry(self) -> bool:
        return self.status == OutboxStatus.FAILED and not self.skipped
