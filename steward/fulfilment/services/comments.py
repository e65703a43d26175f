"""The conversation on a service request: public messages and internal work notes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.fulfilment import permissions
from steward.fulfilment.events import RequestCommented
from steward.fulfilment.models import TERMINAL_STATUSES, RequestComment, ServiceRequest
from steward.fulfilment.services.common import lock, require

MAX_LENGTH = 10000


def request_comment(
    *, actor: Any, request: ServiceRequest, body: str, public: bool = True
) -> RequestComment:
    """Add a message (public) or a work note (internal) to a request that has not ended.

    Emits ``RequestCommented`` in the transaction (a staff message reaches the requester).
    Errors: ``NotPermitted``, ``ValidationFailed`` (body), ``InvalidTransition`` (closed,
    rejected or cancelled).
    """
    require(permissions.can_comment(actor, request, public=public),
            _("You may not write on this request."))
    body = str(body).strip()
    if not body:
        raise ValidationFailed(_("Write a message."), field="body")
    if len(body) > MAX_LENGTH:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_LENGTH}, field="body")
    with transaction.atomic():
        locked = lock(request)
        if locked.status in TERMINAL_STATUSES:
            raise InvalidTransition(
                _("%(number)s has ended; it takes no more messages.") % {"number": locked.number}
            )
        comment = RequestComment.objects.create(
            request=locked, author=actor, public=public, body=body, created_at=timezone.now()
        )
        audit_record(actor=actor, obj=locked, action="comment" if public else "work_note",
                     changes={"comment": comment.pk})
        emit_in_transaction(RequestCommented(
            request_id=locked.pk, number=locked.number, actor_id=actor.pk,
            comment_id=comment.pk, public=public,
            by_requester=actor.pk == locked.requester_id,
        ))
    return comment
