"""Who may see a service request: the work-item rule (``steward.workitems.visibility``)
widened to the people the request needs.

- its approvers, and whoever an approver delegated approvals to for today;
- members of a team with a fulfilment task on it, and the task's assignee.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from steward.workitems.visibility import visible_q


def delegators_today(user: Any) -> list[int]:
    """Ids of the people whose approvals ``user`` decides today (active delegations)."""
    from steward.fulfilment.models import ApprovalDelegation

    today = timezone.localdate()
    return list(
        ApprovalDelegation.objects.filter(
            delegate_id=user.pk, revoked=False, starts_on__lte=today, ends_on__gte=today
        ).values_list("delegator_id", flat=True)
    )


def request_visible_q(user: Any) -> Q:
    base = visible_q(user)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return base
    approvers = [user.pk, *delegators_today(user)]
    team_ids = list(user.teams.values_list("pk", flat=True))
    from steward.fulfilment.models import Approval, FulfilmentTask

    # Subqueries, not joins: a join would repeat a request once per approval or task.
    approving = Approval.objects.filter(approver_id__in=approvers).values("request_id")
    working = FulfilmentTask.objects.filter(
        Q(team_id__in=team_ids) | Q(assignee_id=user.pk)
    ).values("request_id")
    return base | Q(pk__in=approving) | Q(pk__in=working)
