"""The conversation on an incident: public replies and internal work notes.

Process: docs/processes/incidents.md (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction, publish
from steward.incidents import permissions
from steward.incidents.events import IncidentReplied, IncidentWorkNoteAdded
from steward.incidents.models import (
    TERMINAL_STATUSES,
    Comment,
    CommentVisibility,
    HoldReason,
    Incident,
    IncidentStatus,
)
from steward.incidents.services.common import (
    before_of,
    lock,
    not_open_message,
    require,
    save_audited,
    sla_first_response,
)
from steward.incidents.services.lifecycle import resume_locked

BODY_MAX = 10_000


def incident_comment(*, actor: Any, incident: Incident, body: str, public: bool) -> Comment:
    """Add a public reply or an internal work note.

    - The first public reply by someone working the incident (not its requester) is the first
      response: it sets ``first_responded_at`` and, while the incident is new or assigned,
      signals ``responded`` to the SLA engine.
    - A public reply by the requester to an incident on hold awaiting the requester resumes it.
    - Requesters may only reply publicly; work notes are for the people working the incident.

    The comment is its own audited record (so the incident's history never exposes a work
    note). Emits ``IncidentReplied`` (in the transaction: it notifies the requester) or
    ``IncidentWorkNoteAdded``; plus ``IncidentResumed`` on an automatic resume.
    Errors: ``NotPermitted``, ``InvalidTransition`` (closed or cancelled), ``ValidationFailed``.
    """
    require(
        permissions.can_comment(actor, incident, public=public),
        _("You may not add a work note here.") if not public else _("You may not reply here."),
    )
    text = str(body).strip()
    if not text:
        raise ValidationFailed(_("Write something first."), field="body")
    if len(text) > BODY_MAX:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": BODY_MAX}, field="body")
    visibility = CommentVisibility.PUBLIC if public else CommentVisibility.INTERNAL
    with transaction.atomic():
        locked = lock(incident)
        if locked.status in TERMINAL_STATUSES:
            raise InvalidTransition(not_open_message(locked))
        now = timezone.now()
        comment = Comment.objects.create(
            incident=locked, author=actor, visibility=visibility, body=text, created_at=now
        )
        audit_record(
            actor=actor,
            obj=comment,
            action="create",
            changes={"incident": locked.number, "visibility": visibility, "body": text},
        )
        by_requester = actor.pk == locked.requester_id
        _follow_comment(locked, actor=actor, public=public, by_requester=by_requester, at=now)
        if public:
            emit_in_transaction(
                IncidentReplied(
                    incident_id=locked.pk,
                    number=locked.number,
                    actor_id=actor.pk,
                    comment_id=comment.pk,
                    by_requester=by_requester,
                )
            )
        else:
            publish(
                IncidentWorkNoteAdded(
                    incident_id=locked.pk,
                    number=locked.number,
                    actor_id=actor.pk,
                    comment_id=comment.pk,
                )
            )
    return comment


def _follow_comment(
    locked: Incident, *, actor: Any, public: bool, by_requester: bool, at: Any
) -> None:
    """What a comment does to the incident: first response, automatic resume, or only
    "recently updated"."""
    first_response = (
        public
        and not by_requester
        and locked.first_responded_at is None
        and permissions.can_work(actor, locked)
    )
    if first_response:
        before = before_of(locked)
        locked.first_responded_at = at
        save_audited(locked, actor=actor, action="respond", before=before, at=at)
        if locked.status in (IncidentStatus.NEW, IncidentStatus.ASSIGNED):
            sla_first_response(locked, at)
    elif (
        public
        and by_requester
        and locked.status == IncidentStatus.ON_HOLD
        and locked.hold_reason == HoldReason.AWAITING_REQUESTER
    ):
        resume_locked(locked, actor=actor, at=at, automatic=True)
    else:
        locked.updated_at = at
        locked.save(update_fields=["updated_at"])
