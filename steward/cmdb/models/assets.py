"""The asset register: what was bought (cost, supplier, warranty), linked to the CI it is,
software licences with their entitlements and installations, and sent reminders."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.core.transitions import TransitionTable


class AssetLifecycle(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    IN_STOCK = "in_stock", _("In stock")
    DEPLOYED = "deployed", _("Deployed")
    IN_REPAIR = "in_repair", _("In repair")
    RETIRED = "retired", _("Retired")
    DISPOSED = "disposed", _("Disposed")


ASSET_TRANSITIONS = TransitionTable(
    {
        "receive": ([AssetLifecycle.ORDERED], AssetLifecycle.IN_STOCK),
        "deploy": ([AssetLifecycle.IN_STOCK, AssetLifecycle.IN_REPAIR], AssetLifecycle.DEPLOYED),
        "send_to_repair": (
            [AssetLifecycle.DEPLOYED, AssetLifecycle.IN_STOCK],
            AssetLifecycle.IN_REPAIR,
        ),
        "retire": (
            [AssetLifecycle.IN_STOCK, AssetLifecycle.DEPLOYED, AssetLifecycle.IN_REPAIR],
            AssetLifecycle.RETIRED,
        ),
        "dispose": ([AssetLifecycle.RETIRED], AssetLifecycle.DISPOSED),
    }
)


class Asset(TimeStampedModel):
    """A purchased item on the asset register (``AST-000123``): what it cost, from whom,
    until when the warranty runs, where it is in its lifecycle, and the CI it is in the
    CMDB (at most one asset per CI). Lifecycle changes are the actions of
    ``ASSET_TRANSITIONS``."""

    asset_tag = models.CharField(_("asset tag"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    ci = models.OneToOneField(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset",
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True, db_index=True)
    lifecycle = models.CharField(
        _("lifecycle"),
        max_length=12,
        choices=AssetLifecycle.choices,
        default=AssetLifecycle.IN_STOCK,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="cmdb_asset_cost_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_tag} {self.name}"


class SoftwareLicence(TimeStampedModel):
    """A software licence: how many installations it entitles, what it cost, and when it
    ends (none: perpetual). Installations are recorded per CI (``LicenceInstallation``)."""

    code = models.CharField(_("code"), max_length=48, unique=True)
    product = models.CharField(_("product"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    entitlements = models.PositiveIntegerField(_("entitled installations"))
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    ends_on = models.DateField(_("ends on"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.product}"


class LicenceInstallation(models.Model):
    """The licensed software installed on one CI (counts against the entitlements)."""

    licence = models.ForeignKey(
        SoftwareLicence, on_delete=models.PROTECT, related_name="installations"
    )
    ci = models.ForeignKey(
        "cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="licences"
    )
    installed_on = models.DateField(_("installed on"))

    class Meta:
        ordering = ["licence", "ci"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "ci"], name="cmdb_installation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}@{self.ci_id}"


class ReminderKind(models.TextChoices):
    WARRANTY = "warranty", _("Warranty ends")
    LICENCE = "licence", _("Licence ends")


class Reminder(models.Model):
    """A reminder sent before a warranty or licence ends: one per item, end date and
    threshold (days before), so the daily job sends each once however often it runs."""

    kind = models.CharField(_("kind"), max_length=8, choices=ReminderKind.choices)
    item_id = models.PositiveBigIntegerField()
    ends_on = models.DateField(_("ends on"))
    days_before = models.PositiveIntegerField()
    sent_on = models.DateField(_("sent on"))

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_id", "ends_on", "days_before"], name="cmdb_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} {self.ends_on} -{self.days_before}d"
