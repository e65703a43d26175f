"""The organisation: people, roles, teams (support groups), departments and sites."""

from __future__ import annotations

import hashlib
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Role(models.TextChoices):
    """What a person may do. One person can hold several roles."""

    REQUESTER = "requester", _("Requester")
    AGENT = "agent", _("Agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    SERVICE_OWNER = "service_owner", _("Service owner")
    CHANGE_MANAGER = "change_manager", _("Change manager")
    CAB_MEMBER = "cab_member", _("CAB member")
    FINANCE = "finance", _("Finance")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class NotificationChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom")
    DINGTALK = "dingtalk", _("DingTalk")
    FEISHU = "feishu", _("Feishu")
    WEBHOOK = "webhook", _("Webhook")


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value}) from None


def default_channels() -> list[str]:
    return [NotificationChannelKind.EMAIL]


class Bilingual(models.Model):
    """A name in Chinese (``name``) with an optional English form (``name_en``)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        lang = language or get_language() or "zh-hans"
        return self.name_en if lang.startswith("en") and self.name_en else self.name


class Department(Bilingual, TimeStampedModel):
    """A customer of IT: a business unit, possibly inside another (finance > accounts payable)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cost_centre = models.CharField(_("cost centre"), max_length=32, blank=True)
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delegate_for",
        help_text=_("People who see every record raised by this department's members."),
    )

    class Meta:
        ordering = ["code"]


class SiteKind(models.TextChoices):
    STORE = "store", _("Store")
    OFFICE = "office", _("Office")
    WAREHOUSE = "warehouse", _("Warehouse")
    DATA_CENTRE = "data_centre", _("Data centre")


class Site(Bilingual, TimeStampedModel):
    """A place where people work and IT is used: a store, an office, a warehouse, a data centre."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.STORE
    )
    region = models.CharField(_("region"), max_length=64, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="sites"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]


class SiteGroup(Bilingual, TimeStampedModel):
    """A named set of sites that buys a service together (e.g. all stores of East China)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    sites = models.ManyToManyField(Site, blank=True, related_name="groups")

    class Meta:
        ordering = ["code"]


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """Anyone who uses Steward: a requester in a store, an engineer, a manager, an auditor.

    ``username`` is the log-in name. Roles are granted through ``RoleGrant``.
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    wecom_userid = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_userid = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    feishu_userid = models.CharField(_("Feishu user id"), max_length=64, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_vip = models.BooleanField(_("VIP"), default=False)
    notification_channels = models.JSONField(_("notification channels"), default=default_channels)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = PersonManager()  # type: ignore[misc]
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        lang = language or get_language() or "zh-hans"
        if lang.startswith("en") and self.name_en:
            return self.name_en
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.display_name()

    def get_short_name(self) -> str:
        return self.display_name()

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class RoleGrant(models.Model):
    """A role held by a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.person} · {self.role}"


class Team(Bilingual, TimeStampedModel):
    """A support group that works on records: the service desk, network, ERP, security...

    A restricted team (e.g. security) keeps its restricted records from everyone else.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    lead = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    members = models.ManyToManyField(Person, through="TeamMembership", related_name="teams")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="unique_team_membership")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.team}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the secret is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=12, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
