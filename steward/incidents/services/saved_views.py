"""Saved views of the incident queue: create, edit and delete one's own."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import BusinessRuleViolation, Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Team, TeamMembership
from steward.incidents import permissions_major
from steward.incidents.filters import IncidentQueue
from steward.incidents.models import IncidentStatus, Priority, SavedView
from steward.incidents.services.common import require

SORTS = ("-id", "id", "priority", "-updated_at", "resolution_due_at")
NAME_MAX = 80


def clean_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Keep only what the queue understands: queue, status, priority, q, sort."""
    unknown = sorted(set(filters) - {"queue", "status", "priority", "q", "sort"})
    if unknown:
        raise ValidationFailed(
            _("%(field)s is not a queue filter.") % {"field": unknown[0]}, field="filters"
        )
    cleaned: dict[str, Any] = {}
    queue = filters.get("queue") or IncidentQueue.ALL
    if queue not in IncidentQueue.values:
        raise ValidationFailed(_("Unknown queue."), field="filters.queue")
    cleaned["queue"] = queue
    statuses = [str(s) for s in filters.get("status") or []]
    if any(s not in IncidentStatus.values for s in statuses):
        raise ValidationFailed(_("Unknown status."), field="filters.status")
    if statuses:
        cleaned["status"] = sorted(set(statuses))
    try:
        priorities = sorted({int(p) for p in filters.get("priority") or []})
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("The priority must be 1 to 5."), field="filters.priority"
        ) from None
    if any(p not in Priority.values for p in priorities):
        raise ValidationFailed(_("The priority must be 1 to 5."), field="filters.priority")
    if priorities:
        cleaned["priority"] = priorities
    text = str(filters.get("q") or "").strip()
    if len(text) > 200:
        raise ValidationFailed(_("At most 200 characters."), field="filters.q")
    if text:
        cleaned["q"] = text
    sort = filters.get("sort") or "-id"
    if sort not in SORTS:
        raise ValidationFailed(_("Unknown sort order."), field="filters.sort")
    if sort != "-id":
        cleaned["sort"] = sort
    return cleaned


def _clean(actor: Any, name: str, team: Team | None) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValidationFailed(_("Name the view."), field="name")
    if len(cleaned) > NAME_MAX:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": NAME_MAX}, field="name")
    if (
        team is not None
        and not TeamMembership.objects.filter(team=team, person_id=actor.pk).exists()
    ):
        raise NotPermitted(_("You may share a view only with a team you belong to."))
    return cleaned


def _unique(actor: Any, name: str, exclude: int | None = None) -> None:
    taken = SavedView.objects.filter(owner_id=actor.pk, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise BusinessRuleViolation(
            _("You already have a view named %(name)s.") % {"name": name},
            code="view_name_taken",
            field="name",
        )


def saved_view_create(
    *, actor: Any, name: str, filters: dict[str, Any], team: Team | None = None
) -> SavedView:
    """Save the queue's filters under a name, private or shared with one of the actor's teams.

    Errors: ``NotPermitted`` (not staff, not a member of ``team``), ``ValidationFailed``,
    ``BusinessRuleViolation`` (``view_name_taken``).
    """
    require(permissions_major.can_save_views(actor), _("Only staff save queue views."))
    name = _clean(actor, name, team)
    cleaned = clean_filters(filters)
    with transaction.atomic():
        _unique(actor, name)
        view = SavedView.objects.create(owner=actor, name=name, team=team, filters=cleaned)
        audit_record(
            actor=actor,
            obj=view,
            action="create",
            changes={"name": name, "team": team.code if team else None, "filters": cleaned},
        )
    return view


def saved_view_update(
    *,
    actor: Any,
    view: SavedView,
    version: int,
    name: str,
    filters: dict[str, Any],
    team: Team | None = None,
) -> SavedView:
    """Rename, re-filter or re-share one's own view (optimistic: ``version`` as read).

    Errors: ``NotPermitted`` (not the owner), ``Conflict``, ``ValidationFailed``,
    ``BusinessRuleViolation`` (``view_name_taken``).
    """
    require(view.owner_id == actor.pk, _("Only its owner may change a saved view."))
    name = _clean(actor, name, team)
    cleaned = clean_filters(filters)
    with transaction.atomic():
        locked = SavedView.objects.select_for_update().get(pk=view.pk)
        if locked.version != version:
            raise Conflict(
                _("The view was changed since you read it; reload it and try again."),
                code="stale_version",
                field="version",
            )
        _unique(actor, name, exclude=locked.pk)
        before = {"name": locked.name, "team": locked.team_id, "filters": locked.filters}
        locked.name, locked.team, locked.filters = name, team, cleaned
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        after = {"name": name, "team": locked.team_id, "filters": cleaned}
        audit_record(
            actor=actor,
            obj=locked,
            action="update",
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        )
    return locked


def saved_view_delete(*, actor: Any, view: SavedView) -> None:
    """Delete one's own view. Errors: ``NotPermitted`` (not the owner)."""
    if view.owner_id != actor.pk:
        raise NotPermitted(_("Only its owner may delete a saved view."))
    with transaction.atomic():
        audit_record(actor=actor, obj=view, action="delete", changes={"name": view.name})
        view.delete()
