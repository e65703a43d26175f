"""Abstract building blocks shared by every app, and the configuration stamp (infrastructure
of `config_cache`). No process models live here."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change times (UTC)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ConfigStamp(models.Model):
    """One row whose ``stamp`` changes, by database trigger, with every write to a table that
    holds configuration read on every ticket (``steward.core.config_cache``).

    The stamp is random rather than counted, so that a value seen in a transaction that
    rolled back is never seen again."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    stamp = models.BigIntegerField(default=0)

    class Meta:
        db_table = "core_configstamp"

    def __str__(self) -> str:
        return f"configuration stamp {self.stamp}"
