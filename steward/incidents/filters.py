"""The incident list's queues and filters, shared by the API list (and the console list later).

Parsing is the edge's job (``schemas.IncidentListParams``); applying them is the selector's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentQueue(models.TextChoices):
    ALL = "all", _("All I can see")
    MINE = "mine", _("Assigned to me")
    MY_TEAMS = "my_teams", _("My teams")
    UNASSIGNED = "unassigned", _("Unassigned")
    ON_HOLD = "on_hold", _("On hold")
    BREACHING_SOON = "breaching_soon", _("Breaching soon")
    OVERDUE = "overdue", _("Past the resolution target")
    RECENTLY_UPDATED = "recently_updated", _("Recently updated")
    RAISED_BY_ME = "raised_by_me", _("Raised by me")


@dataclass(frozen=True)
class IncidentFilters:
    """What to list. Empty tuples and None mean "any"."""

    queue: str = IncidentQueue.ALL
    status: tuple[str, ...] = ()
    priority: tuple[int, ...] = ()
    team_id: int | None = None
    assignee_id: int | None = None
    service_id: int | None = None
    requester_id: int | None = None
    is_major: bool | None = None
    ci: str = ""
    """A configuration item's CI id (CI-000012)."""
    query: str = ""
    # "breaching soon": a running resolution clock due within this many minutes
    within_minutes: int = 60
    # "recently updated": changed within this many hours
    updated_within_hours: int = 24
