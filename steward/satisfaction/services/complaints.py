"""The complaint life cycle: opened by a poor rating, investigated by its owner (the lead of
the record's team, else the service owner), resolved with an outcome, closed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.identity import permissions as identity
from steward.satisfaction import permissions
from steward.satisfaction.events import (
    ComplaintAssigned,
    ComplaintChanged,
    ComplaintOpened,
    ComplaintResolved,
)
from steward.satisfaction.models import (
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintNote,
    ComplaintStatus,
    Survey,
)

TEXT_MAX = 4000


def _owner_for(survey: Survey) -> Any:
    """The lead of the record's team; else the owner of its service; else nobody (the
    complaint then waits in the service owners' list)."""
    lead = survey.team.lead if survey.team is not None else None
    if lead is not None and lead.is_active:
        return lead
    owner = survey.service.owner if survey.service is not None else None
    return owner if owner is not None and owner.is_active else None


def _text(value: str, *, field: str, required: str = "") -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise ValidationFailed(required, field=field)
    if len(cleaned) > TEXT_MAX:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": TEXT_MAX}, field=field)
    return cleaned


def complaint_open(*, survey: Survey, actor: Any = None) -> Complaint:
    """Record a complaint for a poorly rated survey (called by the rating, in its
    transaction). Its number follows the survey's id: one complaint per survey.

    Emits ``ComplaintOpened`` inside the transaction (the owner's notification row).
    """
    with transaction.atomic():
        owner = _owner_for(survey)
        complaint = Complaint.objects.create(
            number=f"CPL-{survey.pk:06d}", survey=survey, owner=owner,
        )
        audit_record(actor=actor, obj=complaint, action="create", changes={
            "record": survey.record_number, "rating": survey.rating,
            "owner": owner.pk if owner is not None else None,
        })
        emit_in_transaction(ComplaintOpened(
            complaint_id=complaint.pk, number=complaint.number,
            owner_id=owner.pk if owner is not None else None,
        ))
    return complaint


def _lock(complaint: Complaint, version: int | None) -> Complaint:
    locked: Complaint = (
        Complaint.objects.select_for_update(no_key=True, of=("self",))
        .select_related("survey__team", "owner").get(pk=complaint.pk)
    )
    if version is not None and version != locked.version:
        raise Conflict(_("Someone else changed this complaint meanwhile. Reload and try again."),
                       field="version")
    return locked


def _require_work(actor: Any, complaint: Complaint) -> None:
    if not permissions.can_work_complaint(actor, complaint):
        raise NotPermitted(_("You may not work on this complaint."))


def complaint_act(*, actor: Any, complaint: Complaint, action: str, note: str = "",
                  outcome: str = "", version: int | None = None) -> Complaint:
    """Move the complaint along its transition table: ``investigate``, ``resolve`` (needs the
    outcome, which the customer is told), ``reopen`` (needs a note saying why), ``close``. An
    optional note is kept.

    Emits ``ComplaintChanged`` (and ``ComplaintResolved`` inside the transaction). Errors:
    ``NotPermitted``, ``InvalidTransition``, ``Conflict`` (stale version), ``ValidationFailed``
    (outcome, note).
    """
    _require_work(actor, complaint)
    with transaction.atomic():
        locked = _lock(complaint, version)
        target = COMPLAINT_TRANSITIONS.target(action, locked.status)
        text = _text(note, field="note", required=_("Say why it is reopened.")
                     if action == "reopen" else "")
        before = {"status": locked.status, "outcome": locked.outcome}
        now = timezone.now()
        if action == "resolve":
            locked.outcome = _text(outcome, field="outcome",
                                   required=_("Describe the outcome for the customer."))
            locked.resolved_at = now
        if action == "close":
            locked.closed_at = now
        locked.status = target
        locked.version += 1
        locked.save(update_fields=["status", "outcome", "resolved_at", "closed_at", "version"])
        if text:
            ComplaintNote.objects.create(complaint=locked, author=actor, body=text)
        changes: dict[str, Any] = {"status": [before["status"], target]}
        if locked.outcome != before["outcome"]:
            changes["outcome"] = [before["outcome"], locked.outcome]
        if text:
            changes["note"] = text
        audit_record(actor=actor, obj=locked, action=action, changes=changes)
        if action == "resolve":
            emit_in_transaction(ComplaintResolved(
                complaint_id=locked.pk, number=locked.number,
                requester_id=locked.survey.requester_id,
            ))
        publish(ComplaintChanged(complaint_id=locked.pk, number=locked.number, action=action,
                                 actor_id=actor.pk))
    return locked


def complaint_note_add(*, actor: Any, complaint: Complaint, body: str) -> ComplaintNote:
    """Add an investigation note. Errors: ``NotPermitted``, ``ValidationFailed`` (body)."""
    _require_work(actor, complaint)
    text = _text(body, field="body", required=_("Write the note."))
    with transaction.atomic():
        locked = _lock(complaint, None)
        if locked.status == ComplaintStatus.CLOSED:
            raise ValidationFailed(_("The complaint is closed."), field="body",
                                   code="complaint_closed")
        note = ComplaintNote.objects.create(complaint=locked, author=actor, body=text)
        audit_record(actor=actor, obj=locked, action="note", changes={"note": text})
    return note


def complaint_assign(*, actor: Any, complaint: Complaint, owner: Any,
                     version: int | None = None) -> Complaint:
    """Hand the complaint to another staff member. Errors: ``NotPermitted``, ``Conflict``,
    ``ValidationFailed`` (owner: not an active staff member)."""
    _require_work(actor, complaint)
    if owner is None or not owner.is_active or not identity.is_staff_member(owner):
        raise ValidationFailed(_("Choose an active staff member."), field="owner")
    with transaction.atomic():
        locked = _lock(complaint, version)
        if not locked.is_open:
            raise ValidationFailed(_("Only an open complaint can be handed over."),
                                   field="owner", code="complaint_not_open")
        before = locked.owner_id
        locked.owner = owner
        locked.version += 1
        locked.save(update_fields=["owner", "version"])
        audit_record(actor=actor, obj=locked, action="assign",
                     changes={"owner": [before, owner.pk]})
        emit_in_transaction(ComplaintAssigned(complaint_id=locked.pk, number=locked.number,
                                              owner_id=owner.pk))
        publish(ComplaintChanged(complaint_id=locked.pk, number=locked.number,
                                 action="assign", actor_id=actor.pk))
    return locked
