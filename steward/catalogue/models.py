"""The service catalogue (ISO/IEC 20000-1 8.2.4): what IT offers, to whom, run by whom.

A ``Service`` is business-facing (e.g. "门店收银 / Store checkout") or technical (e.g. "ERP
database"); services depend on other services. A ``RequestItem`` is something a requester can ask
for under a service (a new laptop, a VPN account); its form, approval rule and fulfilment tasks are
data, versioned in ``RequestItemVersion`` so that a request keeps the version it was raised with.
See docs/processes/catalogue.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.identity.models import Bilingual


def _localised(zh: str, en: str, language: str | None = None) -> str:
    lang = language or get_language() or "zh-hans"
    return en if lang.startswith("en") and en else zh


class ServiceKind(models.TextChoices):
    BUSINESS = "business", _("Business service")
    TECHNICAL = "technical", _("Technical service")


class ServiceLifecycle(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class ServiceVisibility(models.TextChoices):
    PORTAL = "portal", _("Published to the portal")
    INTERNAL = "internal", _("Internal")


class Criticality(models.IntegerChoices):
    CRITICAL = 1, _("1 – critical")
    HIGH = 2, _("2 – high")
    MEDIUM = 3, _("3 – medium")
    LOW = 4, _("4 – low")


class ServiceCategory(Bilingual, TimeStampedModel):
    """A heading of the portal catalogue (e.g. 门店系统 / Store systems)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    icon = models.CharField(_("icon"), max_length=32, blank=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "service categories"


class Service(TimeStampedModel):
    """A service IT provides, with its owner, support team, customers and dependencies."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ServiceKind.choices, default=ServiceKind.BUSINESS
    )
    category = models.ForeignKey(
        ServiceCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_services"
    )
    support_team = models.ForeignKey(
        "identity.Team", on_delete=models.PROTECT, related_name="supported_services"
    )
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.MEDIUM
    )
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=10,
        choices=ServiceLifecycle.choices,
        default=ServiceLifecycle.PIPELINE,
        db_index=True,
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=ServiceVisibility.choices,
        default=ServiceVisibility.PORTAL,
    )
    customer_departments = models.ManyToManyField(
        "identity.Department", blank=True, related_name="services"
    )
    customer_site_groups = models.ManyToManyField(
        "identity.SiteGroup", blank=True, related_name="services"
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependants"
    )
    availability_target = models.DecimalField(
        _("availability target (%)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("99.500"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    keywords = models.CharField(_("search keywords"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(criticality__gte=1, criticality__lte=4),
                name="service_criticality_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name()}"

    def display_name(self, language: str | None = None) -> str:
        return _localised(self.name, self.name_en, language)

    def display_description(self, language: str | None = None) -> str:
        return _localised(self.description, self.description_en, language)


class ApprovalKind(models.TextChoices):
    NONE = "none", _("No approval")
    MANAGER = "manager", _("Requester's manager")
    DEPARTMENT_HEAD = "department_head", _("Head of the requester's department")
    SERVICE_OWNER = "service_owner", _("Service owner")
    GROUP = "group", _("A named group")


class ApprovalMode(models.TextChoices):
    ANY = "any", _("Any one approver")
    ALL = "all", _("All approvers")


class TaskMode(models.TextChoices):
    ORDERED = "ordered", _("One after another")
    PARALLEL = "parallel", _("In parallel")


class RequestItem(TimeStampedModel):
    """Something a requester can ask for under a service. Its definition is versioned."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="request_items")
    code = models.CharField(_("code"), max_length=32, unique=True)
    current = models.OneToOneField(
        "RequestItemVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    request_count = models.PositiveIntegerField(default=0, help_text="for 'popular' in the portal")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.current.display_name() if self.current else ''}".strip()


class RequestItemVersion(models.Model):
    """One immutable version of a request item's definition (form, approval, tasks, promise)."""

    item = models.ForeignKey(RequestItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    form = models.JSONField(_("form definition"), default=list)
    approval_kind = models.CharField(
        max_length=16, choices=ApprovalKind.choices, default=ApprovalKind.NONE
    )
    approval_mode = models.CharField(
        max_length=8, choices=ApprovalMode.choices, default=ApprovalMode.ANY
    )
    approval_team = models.ForeignKey(
        "identity.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task_mode = models.CharField(max_length=10, choices=TaskMode.choices, default=TaskMode.ORDERED)
    tasks = models.JSONField(_("fulfilment tasks"), default=list)
    instructions = models.TextField(_("fulfilment instructions"), blank=True)
    promised_minutes = models.PositiveIntegerField(
        _("promised delivery (business minutes)"), default=8 * 60
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_item_version")
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"

    def display_name(self, language: str | None = None) -> str:
        return _localised(self.name, self.name_en, language)

    def display_description(self, language: str | None = None) -> str:
        return _localised(self.description, self.description_en, language)
