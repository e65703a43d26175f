"""Typed, directed relations between configuration items.

A relation is stored as the sentence the user says: ``source <kind> target``. Impact flows
from the *provider* to the *dependant*:

=============  ==========================  ===========================
kind           example                     impact flows
=============  ==========================  ===========================
depends_on     ERP app depends on ERP DB   target → source
runs_on        POS app runs on terminal    target → source
hosted_in      VM hosted in host           target → source
connects_to    router connects to line     target → source
used_by        terminal used by POS        source → target
backup_of      tape backup of ERP DB       none (documentation only)
=============  ==========================  ===========================

``provider`` and ``dependant`` are those two ends, derived by ``impact_ends`` when the
relation is written (null for ``backup_of``), so the impact traversal reads one index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RelationKind(models.TextChoices):
    DEPENDS_ON = "depends_on", _("depends on")
    RUNS_ON = "runs_on", _("runs on")
    HOSTED_IN = "hosted_in", _("hosted in")
    CONNECTS_TO = "connects_to", _("connects to")
    USED_BY = "used_by", _("used by")
    BACKUP_OF = "backup_of", _("backup of")


DEPENDANT_IS_SOURCE = frozenset(
    {
        RelationKind.DEPENDS_ON,
        RelationKind.RUNS_ON,
        RelationKind.HOSTED_IN,
        RelationKind.CONNECTS_TO,
    }
)
DEPENDANT_IS_TARGET = frozenset({RelationKind.USED_BY})


def impact_ends(kind: str, source_id: int, target_id: int) -> tuple[int | None, int | None]:
    """``(provider_id, dependant_id)`` of a relation: impact flows from provider to dependant."""
    if kind in DEPENDANT_IS_SOURCE:
        return target_id, source_id
    if kind in DEPENDANT_IS_TARGET:
        return source_id, target_id
    return None, None


class Relation(models.Model):
    """``source <kind> target`` between two CIs; see the module docstring for the direction."""

    source = models.ForeignKey(
        "cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="outgoing"
    )
    target = models.ForeignKey(
        "cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="incoming"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    provider = models.ForeignKey(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    dependant = models.ForeignKey(
        "cmdb.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="cmdb_unique_relation"
            ),
            models.CheckConstraint(condition=~Q(source=F("target")), name="cmdb_no_self_relation"),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=sorted(DEPENDANT_IS_SOURCE),
                        provider=F("target"),
                        dependant=F("source"),
                    )
                    | Q(
                        kind__in=sorted(DEPENDANT_IS_TARGET),
                        provider=F("source"),
                        dependant=F("target"),
                    )
                    | Q(kind=RelationKind.BACKUP_OF, provider__isnull=True, dependant__isnull=True)
                ),
                name="cmdb_relation_impact_ends",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "dependant"], name="cmdb_rel_provider"),
            models.Index(fields=["dependant", "provider"], name="cmdb_rel_dependant"),
            models.Index(fields=["target", "kind"], name="cmdb_rel_target"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"
