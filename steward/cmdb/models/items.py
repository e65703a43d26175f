"""Configuration items and redundancy groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.catalogue.models import Criticality
from steward.core.models import TimeStampedModel
from steward.core.transitions import TransitionTable
from steward.identity.models import Bilingual


class CiStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_USE = "in_use", _("In use")
    MAINTENANCE = "maintenance", _("Maintenance")
    RETIRED = "retired", _("Retired")


class CiEnvironment(models.TextChoices):
    PRODUCTION = "production", _("Production")
    TEST = "test", _("Test")


CI_TRANSITIONS = TransitionTable(
    {
        "put_in_use": ([CiStatus.PLANNED, CiStatus.MAINTENANCE], CiStatus.IN_USE),
        "start_maintenance": ([CiStatus.IN_USE], CiStatus.MAINTENANCE),
        "retire": ([CiStatus.PLANNED, CiStatus.IN_USE, CiStatus.MAINTENANCE], CiStatus.RETIRED),
    }
)


class RedundancyGroup(Bilingual, TimeStampedModel):
    """Interchangeable CIs (two database nodes, a broadband line and its 4G backup).

    Whatever depends on a member keeps working while at least one member of the group is up
    (in use and not itself impacted). A CI belongs to at most one group.
    """

    code = models.CharField(_("code"), max_length=48, unique=True)
    description = models.TextField(_("description"), blank=True)
    support_team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redundancy_groups",
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name()}"


class ConfigurationItem(TimeStampedModel):
    """Something IT manages to deliver a service: a server, a POS terminal, an application,
    a database, a VM, a load balancer, or a catalogue service itself (``service``).

    ``attributes`` are the values of the class's attribute definitions (inherited ones
    included), checked by ``cmdb.attrdef``. ``version`` goes up with every change, for
    optimistic concurrency. Status changes are the actions of ``CI_TRANSITIONS``.
    See docs/processes/cmdb.md.
    """

    ci_id = models.CharField(_("CI id"), max_length=16, unique=True)
    ci_class = models.ForeignKey(
        "cmdb.CiClass", on_delete=models.PROTECT, related_name="items", verbose_name=_("class")
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CiStatus.choices, default=CiStatus.IN_USE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    support_team = models.ForeignKey(
        "identity.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="configuration_items",
    )
    site = models.ForeignKey(
        "identity.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="configuration_items",
    )
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), choices=Criticality.choices, default=Criticality.MEDIUM
    )
    environment = models.CharField(
        _("environment"),
        max_length=12,
        choices=CiEnvironment.choices,
        default=CiEnvironment.PRODUCTION,
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    service = models.OneToOneField(
        "catalogue.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="ci"
    )
    redundancy_group = models.ForeignKey(
        RedundancyGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["ci_id"]
        verbose_name = _("configuration item")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(criticality__gte=1, criticality__lte=4),
                name="ci_criticality_1_to_4",
            )
        ]
        indexes = [
            models.Index(fields=["ci_class", "status"], name="cmdb_ci_class_status"),
            models.Index(fields=["status"], name="cmdb_ci_status"),
        ]

    def __str__(self) -> str:
        return f"{self.ci_id} {self.name}"

    def allowed_actions(self) -> list[str]:
        return CI_TRANSITIONS.allowed(self.status)
