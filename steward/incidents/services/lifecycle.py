"""Hold, resume, resolve, reopen, close and cancel an incident, and the auto-close job.

Process: docs/processes/incidents.md (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import BusinessRuleViolation, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.incidents import permissions, selectors
from steward.incidents.events import (
    IncidentCancelled,
    IncidentClosed,
    IncidentPutOnHold,
    IncidentReopened,
    IncidentResolved,
    IncidentResumed,
)
from steward.incidents.models import HoldReason, Incident, IncidentStatus, ResolutionCode
from steward.incidents.services.common import (
    before_of,
    lock,
    require,
    save_audited,
    sla_context,
    sla_follow_status,
    target_of,
)
from steward.incidents.services.review import major_close_check, major_review_done
from steward.sla.services import clocks_on_reopen

NOTE_MAX = 4000


def _text(value: str, *, field: str, message: str) -> str:
    cleaned = str(value).strip()
    if not cleaned:
        raise ValidationFailed(message, field=field)
    if len(cleaned) > NOTE_MAX:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": NOTE_MAX}, field=field)
    return cleaned


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


def incident_hold(*, actor: Any, incident: Incident, reason: str, note: str = "") -> Incident:
    """Put an in-progress incident on hold for a reason (awaiting the requester, a vendor, a
    change or a problem fix). The resolution clock pauses if its agreement says so.

    Emits ``IncidentPutOnHold``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``ValidationFailed`` (reason).
    """
    require(permissions.can_hold(actor, incident), _("You may not work on this incident."))
    if reason not in HoldReason.values:
        raise ValidationFailed(_("Choose why the incident waits."), field="reason")
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "hold")
        before = before_of(locked)
        locked.status = status
        locked.hold_reason = reason
        now = timezone.now()
        extra = {"note": note.strip()} if note.strip() else None
        save_audited(locked, actor=actor, action="hold", before=before, at=now, extra=extra)
        sla_follow_status(locked, now)
        publish(
            IncidentPutOnHold(
                incident_id=locked.pk, number=locked.number, actor_id=actor.pk, hold_reason=reason
            )
        )
    return locked


def incident_resume(*, actor: Any, incident: Incident) -> Incident:
    """Take an incident off hold: back to "in progress"; paused clocks run again.

    Emits ``IncidentResumed``. Errors: ``NotPermitted``, ``InvalidTransition``.
    """
    require(permissions.can_resume(actor, incident), _("You may not work on this incident."))
    with transaction.atomic():
        locked = lock(incident)
        return resume_locked(locked, actor=actor, at=timezone.now(), automatic=False)


def resume_locked(locked: Incident, *, actor: Any, at: datetime, automatic: bool) -> Incident:
    """The resume step on a row the caller has locked (also used by the requester's reply)."""
    status = target_of(locked, "resume")
    before = before_of(locked)
    locked.status = status
    locked.hold_reason = ""
    extra = {"automatic": True} if automatic else None
    save_audited(locked, actor=actor, action="resume", before=before, at=at, extra=extra)
    sla_follow_status(locked, at)
    publish(
        IncidentResumed(
            incident_id=locked.pk, number=locked.number, actor_id=actor.pk, automatic=automatic
        )
    )
    return locked


def incident_resolve(
    *, actor: Any, incident: Incident, resolution_code: str, resolution_note: str
) -> Incident:
    """Record that service is restored: status "resolved", ``resolved_at``, the resolution
    code and note. The resolution clocks stop. The requester is told (in the transaction) and
    may confirm or reopen within the policy's reopen window. A resolution is a response to
    the requester, so it sets ``first_responded_at`` if nothing did before.

    Emits ``IncidentResolved``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``ValidationFailed`` (code, note).
    """
    require(permissions.can_resolve(actor, incident), _("You may not resolve this incident."))
    if resolution_code not in ResolutionCode.values:
        raise ValidationFailed(_("Choose a resolution code."), field="resolution_code")
    note = _text(
        resolution_note, field="resolution_note", message=_("Describe how it was resolved.")
    )
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "resolve")
        before = before_of(locked)
        now = timezone.now()
        locked.status = status
        locked.hold_reason = ""
        locked.resolved_at = now
        locked.resolution_code = resolution_code
        locked.resolution_note = note
        if locked.first_responded_at is None:
            locked.first_responded_at = now
        save_audited(locked, actor=actor, action="resolve", before=before, at=now)
        sla_follow_status(locked, now)
        window = timedelta(days=selectors.incident_policy().reopen_window_days)
        emit_in_transaction(
            IncidentResolved(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=actor.pk,
                resolved_at=now,
                resolution_code=resolution_code,
                reopen_until=now + window,
            )
        )
    return locked


def incident_reopen(*, actor: Any, incident: Incident, reason: str) -> Incident:
    """The resolution did not hold: back to "in progress", within the reopen window after
    resolution (policy, 7 days by default). The SLA clocks continue within their agreement's
    own reopen window (the resolved interval counts as paused), otherwise new ones start.

    Emits ``IncidentReopened``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``ValidationFailed`` (reason), ``BusinessRuleViolation`` (``reopen_window_passed``).
    """
    require(permissions.can_reopen(actor, incident), _("You may not reopen this incident."))
    reason = _text(reason, field="reason", message=_("Say why the incident is reopened."))
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "reopen")
        now = timezone.now()
        days = selectors.incident_policy().reopen_window_days
        if locked.resolved_at is None or now > locked.resolved_at + timedelta(days=days):
            raise BusinessRuleViolation(
                _(
                    "%(number)s was resolved more than %(days)d days ago and can no longer be "
                    "reopened; raise a new incident instead."
                )
                % {"number": locked.number, "days": days},
                code="reopen_window_passed",
            )
        before = before_of(locked)
        locked.status = status
        locked.resolved_at = None
        locked.resolution_code = ""
        locked.resolution_note = ""
        locked.reopen_count += 1
        save_audited(
            locked, actor=actor, action="reopen", before=before, at=now, extra={"reason": reason}
        )
        clocks_on_reopen(record=locked, state=locked.status, at=now, **sla_context(locked))
        # In the transaction: the open satisfaction survey is voided with the reopening, so
        # no rating can land on a record that is no longer resolved.
        emit_in_transaction(
            IncidentReopened(
                incident_id=locked.pk, number=locked.number, actor_id=actor.pk, reason=reason
            )
        )
    return locked


def incident_close(*, actor: Any, incident: Incident) -> Incident:
    """Close a resolved incident: an agent closes it, or the requester confirms the resolution.

    Emits ``IncidentClosed``. Errors: ``NotPermitted``, ``InvalidTransition``.
    """
    require(permissions.can_close(actor, incident), _("You may not close this incident."))
    with transaction.atomic():
        locked = lock(incident)
        _close_locked(locked, actor=actor, at=timezone.now(), automatic=False)
    return locked


def _close_locked(locked: Incident, *, actor: Any, at: datetime, automatic: bool) -> None:
    status = target_of(locked, "close")
    major_close_check(locked)
    before = before_of(locked)
    locked.status = status
    locked.closed_at = at
    extra = {"automatic": True} if automatic else None
    save_audited(locked, actor=actor, action="close", before=before, at=at, extra=extra)
    sla_follow_status(locked, at)
    publish(
        IncidentClosed(
            incident_id=locked.pk,
            number=locked.number,
            actor_id=_actor_id(actor),
            automatic=automatic,
        )
    )


def incident_cancel(*, actor: Any, incident: Incident, reason: str) -> Incident:
    """Withdraw an open incident (raised by mistake, a duplicate, not an incident). The
    requester may cancel their own; agents those they work. Its SLA clocks are cancelled.

    Emits ``IncidentCancelled``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``ValidationFailed`` (reason).
    """
    require(permissions.can_cancel(actor, incident), _("You may not cancel this incident."))
    reason = _text(reason, field="reason", message=_("Say why the incident is cancelled."))
    with transaction.atomic():
        locked = lock(incident)
        status = target_of(locked, "cancel")
        before = before_of(locked)
        now = timezone.now()
        locked.status = status
        locked.hold_reason = ""
        locked.closed_at = now
        save_audited(
            locked, actor=actor, action="cancel", before=before, at=now, extra={"reason": reason}
        )
        sla_follow_status(locked, now)
        publish(
            IncidentCancelled(
                incident_id=locked.pk, number=locked.number, actor_id=actor.pk, reason=reason
            )
        )
    return locked


def incident_auto_close_due(*, now: datetime | None = None) -> list[str]:
    """Close every incident resolved longer ago than the policy's auto-close period; return
    their numbers. Idempotent and safe with several workers: each incident is re-checked under
    its lock in its own transaction, so one already closed (or reopened) is left alone.

    Emits ``IncidentClosed`` (automatic) per incident closed.
    """
    now = now or timezone.now()
    days = selectors.incident_policy().auto_close_days
    closed = []
    for incident_id in selectors.incident_ids_due_for_auto_close(now=now):
        with transaction.atomic():
            locked = Incident.objects.select_for_update(no_key=True).filter(pk=incident_id).first()
            if (
                locked is None
                or locked.status != IncidentStatus.RESOLVED
                or locked.resolved_at is None
                or locked.resolved_at > now - timedelta(days=days)
                or (locked.is_major and not major_review_done(locked))
            ):
                continue
            _close_locked(locked, actor=None, at=now, automatic=True)
            closed.append(locked.number)
    return closed
