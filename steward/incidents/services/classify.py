"""Classification: the configuration item and moving an incident to another service.

The configuration item (``Incident.ci``) is a plain field (``incident_create``,
``incident_update``); changing the service is the named action ``incident_reclassify``,
because the SLA follows the service: the old agreements' open clocks are cancelled
("reclassified") and the new service's start as of the incident's open time, replaying its
history (holds pause them), so the elapsed business time is right. See
docs/processes/incidents.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.models import AuditEntry
from steward.catalogue.models import Service, ServiceLifecycle
from steward.cmdb.models import CiStatus, ConfigurationItem
from steward.core.errors import InvalidTransition, ValidationFailed
from steward.core.events import publish
from steward.incidents import permissions
from steward.incidents.events import IncidentReclassified
from steward.incidents.models import Incident, IncidentStatus
from steward.incidents.services.common import (
    RESPONDED,
    before_of,
    check_version,
    lock,
    not_open_message,
    require,
    save_audited,
)
from steward.sla.services import RECLASSIFIED, Step, clocks_attach_as_of, clocks_cancel


def check_ci(ci: ConfigurationItem | None) -> None:
    """A retired configuration item cannot be the one an incident is about (its stored
    status decides, not a copy the caller may hold)."""
    if ci is None:
        return
    status = ConfigurationItem.objects.filter(pk=ci.pk).values_list("status", flat=True).first()
    if status is None or status == CiStatus.RETIRED:
        raise ValidationFailed(
            _("The configuration item %(ci)s is retired; choose one that is in use.")
            % {"ci": ci.ci_id},
            field="ci_id",
        )


def ci_from_id(ci_id: str | None) -> ConfigurationItem | None:
    """The CI with the id ``ci_id`` (None for empty); unknown → a ``ci_id`` field error."""
    wanted = (ci_id or "").strip().upper()
    if not wanted:
        return None
    found = ConfigurationItem.objects.filter(ci_id=wanted).first()
    if found is None:
        raise ValidationFailed(
            _("No configuration item %(ci)s.") % {"ci": wanted}, field="ci_id"
        )
    return found


def incident_reclassify(
    *, actor: Any, incident: Incident, service: Service | None, reason: str, version: int
) -> Incident:
    """Move the incident to ``service`` (None: no service), for a ``reason`` (required).

    Optimistic concurrency on ``version``. The open SLA clocks (of the old service's
    agreements) are cancelled with the reason "reclassified"; the new service's agreements
    get clocks as of the incident's open time with its past holds replayed (no agreement:
    no clocks). One audit entry ("reclassify") with the service before/after and the reason.

    Emits ``IncidentReclassified``. Errors: ``NotPermitted``, ``Conflict`` (stale version),
    ``InvalidTransition`` (not open), ``ValidationFailed`` (reason, service).
    """
    require(
        permissions.can_reclassify(actor, incident),
        _("Only the agents working the incident may change its service."),
    )
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationFailed(_("Say why the service changes."), field="reason")
    if service is not None and service.lifecycle == ServiceLifecycle.RETIRED:
        raise ValidationFailed(
            _("The service %(code)s is retired.") % {"code": service.code}, field="service_id"
        )
    with transaction.atomic():
        locked = lock(incident)
        check_version(locked, version)
        if not locked.is_open:
            raise InvalidTransition(not_open_message(locked))
        new_id = service.pk if service is not None else None
        if locked.service_id == new_id:
            raise ValidationFailed(
                _("%(number)s is already on that service.") % {"number": locked.number},
                field="service_id",
            )
        before = before_of(locked, ("service",))
        old_id = locked.service_id
        history = state_history(locked)
        now = timezone.now()
        locked.service = service
        save_audited(
            locked,
            actor=actor,
            action="reclassify",
            before=before,
            at=now,
            extra={"reason": reason},
            fields=("service",),
        )
        clocks_cancel(record=locked, reason=RECLASSIFIED, at=now)
        if service is not None:
            clocks_attach_as_of(
                record=locked,
                service=service,
                priority=locked.priority,
                history=history,
                department=locked.department,
                site=locked.site,
                team=locked.team,
                at=now,
            )
        publish(
            IncidentReclassified(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=actor.pk,
                before=old_id,
                after=new_id,
                reason=reason,
            )
        )
    return locked


def state_history(incident: Incident) -> list[Step]:
    """The incident's states in time order from its audit trail, as the SLA engine saw them:
    opened as new, every status change (a reopen marked as such), and a first response
    without a status change ("responded")."""
    history: list[Step] = [Step(incident.opened_at, IncidentStatus.NEW.value)]
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Incident), object_id=str(incident.pk)
    ).order_by("seq")
    for entry in entries.only("occurred_at", "changes", "action"):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if entry.action == "create":
            continue
        status = changes.get("status")
        if isinstance(status, list) and len(status) == 2:
            history.append(
                Step(entry.occurred_at, str(status[1]), reopen=entry.action == "reopen")
            )
            continue
        responded = changes.get("first_responded_at")
        if isinstance(responded, list) and len(responded) == 2 and responded[0] is None:
            history.append(Step(entry.occurred_at, RESPONDED))
    return _without_responses_on_hold(history)


def _without_responses_on_hold(history: list[Step]) -> list[Step]:
    """A reply while on hold did not resume any clock (``sla_first_response``): drop it."""
    kept: list[Step] = []
    status = IncidentStatus.NEW.value
    for step in history:
        if step.state == RESPONDED and status == IncidentStatus.ON_HOLD:
            continue
        if step.state != RESPONDED:
            status = step.state
        kept.append(step)
    return kept
