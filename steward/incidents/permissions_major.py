"""Who may run a major incident, link and merge incidents, and share saved views.

Pure predicates, like ``permissions``: visibility is the selectors' job.
"""

from __future__ import annotations

from typing import Any

from steward.identity import permissions as identity
from steward.incidents.models import Incident, MajorIncident
from steward.incidents.permissions import can_declare_major, can_work, is_agent


def can_manage_major(user: Any, incident: Incident) -> bool:
    """Log communications, write the review, change the schedule: the major-incident
    manager, the people working the incident, team leads and administrators."""
    if not identity.can_write(user):
        return False
    major: MajorIncident | None = getattr(incident, "major", None)
    if major is not None and major.owner_id == user.pk:
        return True
    return can_work(user, incident) or can_declare_major(user)


def can_set_major_owner(user: Any, incident: Incident) -> bool:
    return can_declare_major(user)


def can_link(user: Any, incident: Incident) -> bool:
    """Link a record as child of another, or unlink it: those who work it."""
    return can_work(user, incident)


def can_merge(user: Any, incident: Incident) -> bool:
    return can_work(user, incident)


def can_be_major_owner(person: Any) -> bool:
    return bool(person.is_active) and is_agent(person)


def can_save_views(user: Any) -> bool:
    return identity.is_staff_member(user)
