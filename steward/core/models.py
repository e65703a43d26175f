"""Abstract building blocks shared by every app. No process models live here."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-change times (UTC)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
