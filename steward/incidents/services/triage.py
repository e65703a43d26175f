"""Triage of a new incident, after its creation commits: assignment, then major-incident check.

``incident_create`` writes an ``IncidentTriage`` row in its transaction and enqueues its job
on commit (``triage_open``); ``incident_triage`` runs it once, in its own transaction:

- the team's assignment strategy picks an agent (``incident_auto_assign``) if the incident
  is still new and unassigned (an agent may have taken it in the meantime);
- the major-incident criteria are applied (``major_evaluate``) if it is still open.

The work and the row's completion commit together, so a worker that dies midway leaves the
row to the outbox sweep, which enqueues it again; a second worker finds it claimed or done.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from steward.core import outbox
from steward.incidents.models import Incident, IncidentStatus, IncidentTriage
from steward.incidents.services.major import major_evaluate
from steward.incidents.services.team_assignment import incident_auto_assign

logger = logging.getLogger(__name__)


def triage_open(*, incident: Incident, actor: Any) -> IncidentTriage:
    """Write the triage row of an incident being created; its job runs after commit."""
    from steward.incidents.tasks import enqueue_triage

    row = IncidentTriage.objects.create(
        incident=incident,
        actor=actor if getattr(actor, "pk", None) is not None else None,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(enqueue_triage, row.pk))
    return row


def incident_triage(*, triage_id: int) -> bool:
    """Triage one new incident if its row is due; return whether this call did it.

    Idempotent: a row that is done, or held by another worker, is left alone. An error rolls
    the work back and schedules a retry with back-off (``outbox.retry_later``).
    """
    token = outbox.claim(IncidentTriage, triage_id)
    if token is None:
        return False
    try:
        with transaction.atomic():
            row = IncidentTriage.objects.select_related("actor").get(pk=triage_id)
            incident: Incident = (
                Incident.objects.select_for_update(no_key=True, of=("self",))
                .select_related("team__lead", "service")
                .get(pk=row.incident_id)
            )
            if incident.status == IncidentStatus.NEW and incident.assignee_id is None:
                incident = incident_auto_assign(incident=incident, at=timezone.now())
            if incident.is_open:
                major_evaluate(actor=row.actor, incident=incident)
            if not outbox.complete(IncidentTriage, triage_id, token):
                raise RuntimeError("the claim on the triage row was lost")
    except Exception as exc:  # noqa: BLE001 - recorded on the row and retried
        logger.exception("triage %s of a new incident failed", triage_id)
        outbox.retry_later(IncidentTriage, triage_id, token, f"{type(exc).__name__}: {exc}")
        return False
    return True
