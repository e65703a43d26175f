"""Facts reported by discovery: where and when each CI value was last seen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CiFact(models.Model):
    """The last value a discovery source reported for one field of one CI, with the source
    (e.g. ``ansible``, ``lansweeper``) and the time it was observed. The CI itself holds the
    reconciled value; its ``CiChange`` rows hold the history."""

    ci = models.ForeignKey("cmdb.ConfigurationItem", on_delete=models.CASCADE, related_name="facts")
    field = models.CharField(_("field"), max_length=80)
    value = models.JSONField(null=True, blank=True)
    source = models.CharField(_("discovery source"), max_length=80)
    observed_at = models.DateTimeField(_("observed at"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["ci", "field"]
        constraints = [
            models.UniqueConstraint(fields=["ci", "field", "source"], name="cmdb_fact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ci_id} {self.field} ({self.source})"
