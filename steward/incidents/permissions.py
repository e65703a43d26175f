"""Who may do what to an incident. Pure predicates over roles, team membership and the record.

Visibility (may the user see the incident at all?) is the selectors' job (one rule for every
work item, ``steward.workitems.visibility``); these predicates answer the next question for a
record the user can already see.

- Agents and team leads *work* the incidents of their teams and those assigned to them;
  administrators work every incident. Auditors are read-only.
- A requester raises incidents for themself, replies publicly, cancels their own open incident,
  confirms (closes) or reopens their resolved one.
- Only staff see internal work notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from steward.identity import permissions
from steward.identity.models import Role
from steward.incidents.models import Incident

# Shared with the other ticket apps (``identity.permissions``).
is_agent = permissions.is_agent
is_team_member = permissions.is_team_member

REQUESTER_FIELDS = frozenset({"title", "description"})
AGENT_FIELDS = frozenset(
    {"title", "description", "category", "subcategory", "restricted", "ci"}
)


def is_requester(user: Any, incident: Incident) -> bool:
    return (
        permissions.can_write(user)
        and getattr(user, "pk", None) is not None
        and incident.requester_id == user.pk
    )


def can_raise(user: Any) -> bool:
    """Anyone signed in who is not read-only may report an incident for themself."""
    return bool(getattr(user, "is_authenticated", False)) and permissions.can_write(user)


def can_raise_for(user: Any, requester: Any) -> bool:
    """Raising on someone else's behalf (a phone call to the desk) is for agents."""
    return can_raise(user) and (requester.pk == user.pk or is_agent(user))


def can_mark_restricted(user: Any) -> bool:
    return is_agent(user)


def can_work(user: Any, incident: Incident) -> bool:
    """Agents of the incident's team, its assignee, and administrators."""
    if not is_agent(user):
        return False
    if permissions.is_admin(user) or incident.assignee_id == user.pk:
        return True
    return is_team_member(user, incident.team_id)


def can_declare_major(user: Any) -> bool:
    return permissions.can_write(user) and (
        permissions.has_role(user, Role.TEAM_LEAD) or permissions.is_admin(user)
    )


def fields_editable_by(user: Any, incident: Incident) -> frozenset[str]:
    """The plain fields ``user`` may change with ``incident_update``."""
    fields: frozenset[str] = frozenset()
    if can_work(user, incident):
        fields = AGENT_FIELDS
    elif is_requester(user, incident):
        fields = REQUESTER_FIELDS
    if fields and can_declare_major(user):
        fields = fields | {"is_major"}
    return fields


def can_set_priority(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_reclassify(user: Any, incident: Incident) -> bool:
    """Change the service (and with it the SLA): the agents working the incident."""
    return can_work(user, incident)


def can_assign(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_start(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_hold(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_resume(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_resolve(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_reopen(user: Any, incident: Incident) -> bool:
    return is_requester(user, incident) or can_work(user, incident)


def can_close(user: Any, incident: Incident) -> bool:
    """An agent closes; the requester closes by confirming the resolution."""
    return is_requester(user, incident) or can_work(user, incident)


def can_cancel(user: Any, incident: Incident) -> bool:
    return is_requester(user, incident) or can_work(user, incident)


def can_comment(user: Any, incident: Incident, *, public: bool) -> bool:
    """Public replies: the requester and the people working the incident. Notes: the latter."""
    if can_work(user, incident):
        return True
    return public and is_requester(user, incident)


def can_see_work_notes(user: Any) -> bool:
    return permissions.is_staff_member(user)


ACTION_CHECKS: dict[str, Callable[[Any, Incident], bool]] = {
    "assign": can_assign,
    "start": can_start,
    "hold": can_hold,
    "resume": can_resume,
    "resolve": can_resolve,
    "reopen": can_reopen,
    "close": can_close,
    "cancel": can_cancel,
    "merge": can_work,
}


def actions_for(user: Any, incident: Incident) -> list[str]:
    """The actions to offer ``user``: allowed by the transition table *and* permitted.

    The same two sources the services check, so a button or an API hint never promises an
    action that would be refused (time-based rules such as the reopen window aside).
    """
    works = can_work(user, incident)
    requester = is_requester(user, incident)
    requester_actions = {"reopen", "close", "cancel"}
    return [
        action
        for action in incident.allowed_actions()
        if works or (requester and action in requester_actions)
    ]
