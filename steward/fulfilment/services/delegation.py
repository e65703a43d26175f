"""Delegating approvals while away: the delegate sees and decides the delegator's pending
approvals between two dates (the decision is recorded on behalf of the delegator)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import ValidationFailed
from steward.fulfilment import permissions
from steward.fulfilment.models import ApprovalDelegation
from steward.fulfilment.services.common import require
from steward.identity.models import Person

MAX_DAYS = 366


def delegation_set(
    *, actor: Any, delegator: Person, delegate: Person, starts_on: dt.date, ends_on: dt.date
) -> ApprovalDelegation:
    """Let ``delegate`` decide ``delegator``'s approvals from ``starts_on`` to ``ends_on``.

    Errors: ``NotPermitted`` (someone else's, unless administrator); ``ValidationFailed``
    (to oneself, inactive delegate, dates reversed or longer than a year, overlapping an
    existing delegation).
    """
    require(permissions.can_delegate(actor, delegator),
            _("You may only delegate your own approvals."))
    if delegate.pk == delegator.pk:
        raise ValidationFailed(_("Choose someone else."), field="delegate_id")
    if not delegate.is_active:
        raise ValidationFailed(_("The delegate's account is inactive."), field="delegate_id")
    if ends_on < starts_on:
        raise ValidationFailed(_("The end is before the start."), field="ends_on")
    if (ends_on - starts_on).days > MAX_DAYS:
        raise ValidationFailed(_("At most one year."), field="ends_on")
    with transaction.atomic():
        # Lock the delegator's row: two overlapping delegations set at once serialise here.
        Person.objects.select_for_update(no_key=True).filter(pk=delegator.pk).first()
        overlapping = ApprovalDelegation.objects.filter(
            delegator=delegator, revoked=False, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        if overlapping.exists():
            raise ValidationFailed(
                _("You already delegate for part of this time; revoke that first."),
                field="starts_on",
            )
        delegation = ApprovalDelegation.objects.create(
            delegator=delegator, delegate=delegate, starts_on=starts_on, ends_on=ends_on
        )
        audit_record(actor=actor, obj=delegator, action="approval_delegation_set", changes={
            "delegate": delegate.pk, "starts_on": starts_on, "ends_on": ends_on,
        })
    return delegation


def delegation_revoke(*, actor: Any, delegation: ApprovalDelegation) -> ApprovalDelegation:
    """End a delegation (the delegate no longer sees nor decides)."""
    require(permissions.can_delegate(actor, delegation.delegator),
            _("You may only delegate your own approvals."))
    with transaction.atomic():
        locked = ApprovalDelegation.objects.select_for_update(no_key=True).get(pk=delegation.pk)
        if locked.revoked:
            return locked
        locked.revoked = True
        locked.save(update_fields=["revoked"])
        audit_record(actor=actor, obj=locked.delegator, action="approval_delegation_revoke",
                     changes={"delegate": locked.delegate_id})
    return locked
