"""What follows a new incident, done by a job once its creation has committed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steward.core.outbox import OutboxItem


class IncidentTriage(OutboxItem):
    """One row per new incident, written in the creating transaction: the job that picks it
    up assigns the incident inside its team by the team's strategy, then applies the
    major-incident criteria (``services/triage.py``).

    Taking this work out of the creating transaction keeps intake short (the team's row
    lock and the major-incident reads are not held while the number and the audit chain
    serialise creations); being a row written with the incident, it is never lost: the
    outbox sweep re-enqueues it if the job's enqueue or its worker is lost.
    """

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="triage"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who raised the incident (declares a major incident on their behalf).",
    )

    def __str__(self) -> str:
        return f"triage of incident {self.incident_id} ({self.status})"
