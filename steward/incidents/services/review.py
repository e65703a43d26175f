"""The major-incident review: what happened, why, and the actions (owner, due date) decided.
A major incident cannot close until its review is complete.

Process: docs/processes/incidents.md, "Major incidents" (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import BusinessRuleViolation, Conflict, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.incidents import permissions_major
from steward.incidents.events_major import MajorReviewCompleted
from steward.incidents.models import (
    TERMINAL_STATUSES,
    Incident,
    IncidentStatus,
    MajorIncident,
    MajorReview,
    ReviewAction,
)
from steward.incidents.services.common import require

TEXT_MAX = 20000


def major_review_save(
    *,
    actor: Any,
    major: MajorIncident,
    timeline_summary: str,
    cause: str,
    actions: list[dict[str, Any]],
    complete: bool = False,
    version: int | None = None,
) -> MajorReview:
    """Write (or rewrite) the review; with ``complete`` it is signed off, which needs the
    timeline summary, the cause and at least one action, each with a description, an owner
    and a due date, and the incident resolved. A completed review is final.

    ``actions``: ``{"description", "owner", "due_on"}`` dicts (``owner`` a person).
    Emits ``MajorReviewCompleted`` on sign-off, in the transaction (the service owner, the IT
    manager and the action owners are notified with it). Errors: ``NotPermitted``, ``Conflict``
    (stale version), ``BusinessRuleViolation`` (``review_complete``,
    ``review_before_resolution``), ``ValidationFailed``.
    """
    require(
        permissions_major.can_manage_major(actor, major.incident),
        _("You may not write the review of this major incident."),
    )
    summary = str(timeline_summary).strip()
    cause = str(cause).strip()
    for name, value in (("timeline_summary", summary), ("cause", cause)):
        if len(value) > TEXT_MAX:
            raise ValidationFailed(_("At most %(max)d characters.") % {"max": TEXT_MAX}, field=name)
    cleaned = [_clean_action(i, a) for i, a in enumerate(actions)]
    if complete:
        if not summary:
            raise ValidationFailed(_("Summarise the timeline first."), field="timeline_summary")
        if not cause:
            raise ValidationFailed(_("Describe the cause first."), field="cause")
        if not cleaned:
            raise ValidationFailed(
                _("Record at least one action with an owner and a due date."), field="actions"
            )
    with transaction.atomic():
        major = (
            MajorIncident.objects.select_for_update().select_related("incident").get(pk=major.pk)
        )
        review, _created = MajorReview.objects.get_or_create(major=major)
        if version is not None and review.version != version:
            raise Conflict(
                _("The review was changed by someone else; reload it and try again."),
                code="stale_version",
                field="version",
            )
        if review.is_complete:
            raise BusinessRuleViolation(
                _("The review was completed and can no longer be changed."),
                code="review_complete",
            )
        if complete and major.incident.status not in (
            IncidentStatus.RESOLVED,
            *TERMINAL_STATUSES,
        ):
            raise BusinessRuleViolation(
                _("Complete the review once the incident is resolved."),
                code="review_before_resolution",
            )
        now = timezone.now()
        review.timeline_summary = summary
        review.cause = cause
        review.version += 1
        if complete:
            review.completed_at = now
            review.completed_by = actor
        review.save()
        review.actions.all().delete()
        ReviewAction.objects.bulk_create(ReviewAction(review=review, **a) for a in cleaned)
        audit_record(
            actor=actor,
            obj=major.incident,
            action="major_review_complete" if complete else "major_review",
            changes={
                "timeline_summary": summary,
                "cause": cause,
                "actions": [
                    {**a, "owner": str(a["owner"]), "due_on": a["due_on"].isoformat()}
                    for a in cleaned
                ],
            },
        )
        if complete:
            emit_in_transaction(
                MajorReviewCompleted(
                    incident_id=major.incident_id,
                    number=major.incident.number,
                    actor_id=actor.pk,
                    review_id=review.pk,
                )
            )
    return review


def _clean_action(index: int, action: dict[str, Any]) -> dict[str, Any]:
    field = f"actions.{index}"
    description = str(action.get("description") or "").strip()
    owner = action.get("owner")
    due_on = action.get("due_on")
    if not description:
        raise ValidationFailed(_("Describe the action."), field=f"{field}.description")
    if owner is None or not getattr(owner, "is_active", False):
        raise ValidationFailed(_("Give the action an active owner."), field=f"{field}.owner_id")
    if not isinstance(due_on, dt.date):
        raise ValidationFailed(_("Give the action a due date."), field=f"{field}.due_on")
    return {"description": description[:2000], "owner": owner, "due_on": due_on}


def major_review_done(incident: Incident) -> bool:
    return MajorReview.objects.filter(
        major__incident_id=incident.pk, completed_at__isnull=False
    ).exists()


def major_close_check(incident: Incident) -> None:
    """Refuse to close a major incident whose review is not complete."""
    if incident.is_major and not major_review_done(incident):
        raise BusinessRuleViolation(
            _(
                "%(number)s is a major incident: complete its major-incident review "
                "(timeline, cause, actions with owners and due dates) before closing it."
            )
            % {"number": incident.number},
            code="major_review_missing",
        )
