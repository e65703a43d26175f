"""The one visibility rule for work items, used by every selector (pages, API, search,
exports, attachments, timelines):

- an administrator or auditor sees every record that is not restricted;
- a requester sees the records they raised, and those of the departments (and their
  sub-departments) they are a delegate for;
- an agent sees the records assigned to them or to one of their teams;
- a restricted record (e.g. a security incident) is seen only by members of its team and by
  the person who raised it;
- an inactive or anonymous user sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from steward.identity import permissions
from steward.identity.models import Department


def _delegated_department_ids(user: Any) -> set[int]:
    roots = set(user.delegate_for.values_list("pk", flat=True))
    found = set(roots)
    frontier = roots
    while frontier:
        frontier = (
            set(Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def visible_q(user: Any) -> Q:
    """A filter selecting the work items ``user`` may see."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    team_ids = list(user.teams.values_list("pk", flat=True))
    own = Q(requester=user) | Q(assignee=user)
    on_my_teams = Q(team_id__in=team_ids)
    if permissions.is_admin(user) or permissions.is_auditor(user):
        open_part = Q()
    else:
        open_part = own | on_my_teams
        delegated = _delegated_department_ids(user)
        if delegated:
            open_part |= Q(department_id__in=delegated)
    return (Q(restricted=False) & open_part) | (
        Q(restricted=True) & (on_my_teams | Q(requester=user))
    )
