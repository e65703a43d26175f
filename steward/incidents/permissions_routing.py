"""Who may configure routing and assignment, and who may escalate. Pure predicates.

- Routing rules: read by staff; written by administrators only.
- A team's assignment strategy: administrators and the team's lead.
- A member's availability (away or not): the member, the team's lead, administrators.
- Escalation: whoever works the incident (``permissions.can_work``).
"""

from __future__ import annotations

from typing import Any

from steward.identity import permissions as identity
from steward.identity.models import Team
from steward.incidents import permissions
from steward.incidents.models import Incident


def can_view_routing(user: Any) -> bool:
    return identity.is_staff_member(user)


def can_manage_routing(user: Any) -> bool:
    return identity.is_admin(user)


def is_lead_of(user: Any, team: Team) -> bool:
    return (
        identity.can_write(user)
        and getattr(user, "pk", None) is not None
        and team.lead_id == user.pk
    )


def can_set_strategy(user: Any, team: Team) -> bool:
    return identity.is_admin(user) or is_lead_of(user, team)


def can_set_availability(user: Any, team: Team, person: Any) -> bool:
    if identity.is_admin(user) or is_lead_of(user, team):
        return True
    return identity.can_write(user) and getattr(user, "pk", None) == person.pk


def can_escalate(user: Any, incident: Incident) -> bool:
    return permissions.can_work(user, incident)
