"""Signed approve/reject links for the approval notification (``django.core.signing``).

A link carries the approval, the decision and the approval's nonce, signed with a salt of its
own and a timestamp. It is refused when forged (bad signature), expired
(``STEWARD_APPROVAL_LINK_DAYS``), or used: deciding clears the nonce, so a link works once.
Whoever holds the link acts as the approver; the link page asks to confirm (mail scanners
open links) before anything changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from steward.core.errors import BusinessRuleViolation
from steward.fulfilment.models import Approval, ApprovalState
from steward.fulfilment.services.approvals import DECISIONS, approval_decide

SALT = "steward.fulfilment.approval-link"


def approval_link_token(approval: Approval, decision: str) -> str:
    return signing.dumps(
        {"a": approval.pk, "d": decision, "n": approval.link_nonce}, salt=SALT, compress=True
    )


def approval_from_token(token: str) -> tuple[Approval, str]:
    """The approval and decision a link stands for; ``BusinessRuleViolation`` with code
    ``link_invalid``, ``link_expired`` or ``link_used`` otherwise."""
    try:
        data: Any = signing.loads(
            token, salt=SALT, max_age=settings.STEWARD_APPROVAL_LINK_DAYS * 86400
        )
    except signing.SignatureExpired:
        raise BusinessRuleViolation(
            _("This link has expired. Open the request to decide."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise BusinessRuleViolation(_("This link is not valid."), code="link_invalid") from None
    if not isinstance(data, dict) or data.get("d") not in DECISIONS:
        raise BusinessRuleViolation(_("This link is not valid."), code="link_invalid")
    approval_id = data.get("a")
    approval = (
        Approval.objects.select_related("request", "approver").filter(pk=approval_id).first()
        if isinstance(approval_id, int) else None
    )
    if approval is None:
        raise BusinessRuleViolation(_("This link is not valid."), code="link_invalid")
    if approval.state != ApprovalState.PENDING or not data.get("n") or (
        data["n"] != approval.link_nonce
    ):
        raise BusinessRuleViolation(
            _("This link was already used or the approval is no longer needed."),
            code="link_used",
        )
    return approval, str(data["d"])


def approval_decide_by_link(*, token: str, comment: str = "") -> Approval:
    """Decide as the approver the link was sent to. Errors: those of
    ``approval_from_token`` and of ``approval_decide``."""
    approval, decision = approval_from_token(token)
    return approval_decide(
        actor=approval.approver, approval=approval, decision=decision, comment=comment,
        via_link=True,
    )
