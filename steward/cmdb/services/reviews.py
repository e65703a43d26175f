"""Review of unauthorised changes (made without a change record to a controlled class)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import permissions
from steward.cmdb.history import clean_change_number
from steward.cmdb.models import CiChange
from steward.cmdb.services.common import require
from steward.core.errors import Conflict, ValidationFailed


def change_review(
    *, actor: Any, change: CiChange, note: str = "", change_number: str | None = None
) -> CiChange:
    """Mark an unauthorised change reviewed, with every row of the same operation.

    ``change_number`` links a change record raised after the fact. Administrators and
    change managers only. Raises ``NotPermitted``; ``ValidationFailed`` if the change was
    authorised; ``Conflict`` if it was already reviewed.
    """
    if actor is not None:
        require(
            permissions.can_review_changes(actor),
            _("Only administrators and change managers review unauthorised changes."),
        )
    if not change.unauthorised:
        raise ValidationFailed(_("This change was authorised; there is nothing to review."))
    with transaction.atomic():
        rows = list(
            CiChange.objects.select_for_update(no_key=True, of=("self",))
            .filter(operation=change.operation, unauthorised=True)
            .order_by("pk")
        )
        if any(row.reviewed_at is not None for row in rows):
            raise Conflict(_("This change has already been reviewed."))
        now = timezone.now()
        number = clean_change_number(change_number)
        for row in rows:
            row.reviewed_by = actor if actor is not None and actor.is_authenticated else None
            row.reviewed_at = now
            row.review_note = note
            fields = ["reviewed_by", "reviewed_at", "review_note"]
            if number:
                row.change_number = number
                fields.append("change_number")
            row.save(update_fields=fields)
            audit_record(
                actor=actor,
                obj=row,
                action="review",
                changes={"note": note, "change_number": number},
            )
        return next(row for row in rows if row.pk == change.pk)
