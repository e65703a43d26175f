"""Who may rate, see and work complaints and CSAT figures. Pure predicates over roles."""

from __future__ import annotations

from typing import Any

from steward.identity import permissions as identity
from steward.identity.models import Role
from steward.satisfaction.models import Complaint, Survey

# People who answer for service quality: they see every complaint and every CSAT table.
QUALITY_ROLES = (Role.ADMINISTRATOR, Role.AUDITOR, Role.SERVICE_OWNER)


def can_rate(user: Any, survey: Survey) -> bool:
    """Only the person the survey asks (the record's requester), signed in and active."""
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active
        and user.pk == survey.requester_id and identity.can_write(user)
    )


def can_view_csat(user: Any) -> bool:
    """Team leads, service owners, auditors and administrators."""
    return identity.has_role(user, Role.TEAM_LEAD, *QUALITY_ROLES)


def sees_every_complaint(user: Any) -> bool:
    return identity.has_role(user, *QUALITY_ROLES)


def can_work_complaint(user: Any, complaint: Complaint) -> bool:
    """The owner, the lead of the record's team, service owners and administrators (never a
    read-only auditor)."""
    if not identity.can_write(user):
        return False
    if identity.has_role(user, Role.ADMINISTRATOR, Role.SERVICE_OWNER):
        return True
    team = complaint.survey.team
    return user.pk == complaint.owner_id or (team is not None and team.lead_id == user.pk)
