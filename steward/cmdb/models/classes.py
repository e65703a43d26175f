"""CI classes: the kinds of configuration item, in a tree, with their attributes held as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import TimeStampedModel
from steward.identity.models import Bilingual


class CiClass(Bilingual, TimeStampedModel):
    """A kind of configuration item (e.g. 硬件 > 服务器 / hardware > server).

    ``attributes`` holds this class's own attribute definitions (see ``cmdb.attrdef``); a CI of
    the class carries those of every ancestor too. Adding a class or an attribute is a data
    change made by an administrator: no code, no migration. A class ``under_change_control``
    flags every change to its CIs made without a change record for review.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(_("description"), blank=True)
    under_change_control = models.BooleanField(_("under change control"), default=False)
    attributes = models.JSONField(_("attribute definitions"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CI class")
        verbose_name_plural = _("CI classes")

    def __str__(self) -> str:
        return f"{self.code} {self.display_name()}"
