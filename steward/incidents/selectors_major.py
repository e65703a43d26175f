"""Reads of major incidents and incident links, scoped to the user like ``selectors``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.identity.models import Department, Person, Role, TeamMembership
from steward.identity.permissions import STAFF_ROLES
from steward.incidents.models import (
    OPEN_STATUSES,
    Audience,
    CommsEntry,
    Incident,
    IncidentLink,
    LinkKind,
    MajorIncident,
    MajorIncidentPolicy,
    MajorReview,
    SavedView,
)


def major_policy() -> MajorIncidentPolicy:
    """The criteria and the default schedule (the defaults, unsaved, if the row is missing)."""
    return MajorIncidentPolicy.objects.filter(pk=1).first() or MajorIncidentPolicy(pk=1)


def major_of(incident: Incident) -> MajorIncident | None:
    """The incident's major-incident record (None when it is not major)."""
    return (
        MajorIncident.objects.select_related("owner", "declared_by")
        .filter(incident_id=incident.pk)
        .first()
    )


def major_list_for(*, user: Any, open_only: bool = False) -> QuerySet[MajorIncident]:
    """The major incidents ``user`` may see (through their incident), newest first."""
    visible = Incident.objects.visible_to(user)
    found = MajorIncident.objects.filter(incident__in=visible).select_related(
        "incident", "incident__service", "owner"
    )
    if open_only:
        found = found.filter(incident__status__in=OPEN_STATUSES)
    return found.order_by("-declared_at", "-id")


def major_comms_for(major: MajorIncident) -> QuerySet[CommsEntry]:
    return major.comms.select_related("author").order_by("-written_at", "-id")


def major_review_of(major: MajorIncident) -> MajorReview | None:
    return MajorReview.objects.filter(major=major).prefetch_related("actions__owner").first()


def majors_due_for_reminder(*, now: Any = None) -> list[int]:
    """Open major incidents whose scheduled update is due and not yet reminded for."""
    now = now or timezone.now()
    return list(
        MajorIncident.objects.filter(
            incident__status__in=OPEN_STATUSES, next_update_due_at__lte=now, owner__isnull=False
        )
        .filter(Q(reminded_for__isnull=True) | Q(reminded_for__lt=F("next_update_due_at")))
        .order_by("next_update_due_at", "pk")
        .values_list("pk", flat=True)
    )


def linked_incidents(incident: Incident) -> QuerySet[Incident]:
    """Children and merged duplicates of ``incident``."""
    return Incident.objects.filter(outgoing_links__target=incident).select_related("requester")


def children_of(incident: Incident) -> QuerySet[Incident]:
    return Incident.objects.filter(
        outgoing_links__target=incident, outgoing_links__kind=LinkKind.CHILD_OF
    ).order_by("id")


def open_children_of(incident: Incident) -> QuerySet[Incident]:
    return children_of(incident).filter(status__in=OPEN_STATUSES)


def links_of(incident: Incident) -> dict[str, list[IncidentLink]]:
    """The incident's links both ways, by role: its parent, its children, what it is a
    duplicate of, and the duplicates merged into it."""
    both = list(
        IncidentLink.objects.filter(Q(source=incident) | Q(target=incident)).select_related(
            "source", "target"
        )
    )
    outgoing = [link for link in both if link.source_id == incident.pk]
    incoming = [link for link in both if link.target_id == incident.pk]
    return {
        "parent": [link for link in outgoing if link.kind == LinkKind.CHILD_OF],
        "duplicate_of": [link for link in outgoing if link.kind == LinkKind.DUPLICATE_OF],
        "children": [link for link in incoming if link.kind == LinkKind.CHILD_OF],
        "duplicates": [link for link in incoming if link.kind == LinkKind.DUPLICATE_OF],
    }


def major_audience(major: MajorIncident, audiences: list[str]) -> list[Person]:
    """The people each audience stands for, each once, active only.

    - affected departments: the heads of the service's customer departments and of the
      departments that raised the incident or a linked one;
    - management: the policy's management list and the service owner;
    - requesters: the requester of the incident and of its children and merged duplicates.
    """
    incident = major.incident
    people: dict[int, Person] = {}
    linked = list(linked_incidents(incident))
    if Audience.DEPARTMENTS in audiences:
        department_ids = {i.department_id for i in [incident, *linked] if i.department_id}
        if incident.service is not None:
            department_ids |= set(
                incident.service.customer_departments.values_list("pk", flat=True)
            )
        for department in Department.objects.filter(pk__in=department_ids).select_related("head"):
            if department.head is not None:
                people[department.head.pk] = department.head
    if Audience.MANAGEMENT in audiences:
        for person in Person.objects.filter(pk__in=_management_ids()):
            people[person.pk] = person
        if incident.service is not None:
            people[incident.service.owner.pk] = incident.service.owner
    if Audience.REQUESTERS in audiences:
        for record in [incident, *linked]:
            people[record.requester.pk] = record.requester
    return sorted((p for p in people.values() if p.is_active), key=lambda p: p.pk)


def _management_ids() -> list[int]:
    return list(
        MajorIncidentPolicy.management.through.objects.filter(majorincidentpolicy_id=1).values_list(
            "person_id", flat=True
        )
    )


def saved_views_for(*, user: Any) -> dict[str, list[SavedView]]:
    """The queue views ``user`` may use: their own, and those shared with their teams by
    others."""
    mine = list(SavedView.objects.filter(owner_id=user.pk).select_related("team"))
    team_ids = TeamMembership.objects.filter(person_id=user.pk).values("team_id")
    shared = list(
        SavedView.objects.filter(team_id__in=team_ids)
        .exclude(owner_id=user.pk)
        .select_related("team", "owner")
    )
    return {"mine": mine, "team": shared}


def saved_view_get_for(*, user: Any, view_id: int) -> SavedView:
    """A view ``user`` owns or that is shared with one of their teams; else ``NotFound``."""
    team_ids = TeamMembership.objects.filter(person_id=user.pk).values("team_id")
    view = (
        SavedView.objects.filter(Q(owner_id=user.pk) | Q(team_id__in=team_ids))
        .select_related("team", "owner")
        .filter(pk=view_id)
        .first()
    )
    if view is None:
        raise NotFound(_("No saved view %(id)s.") % {"id": view_id})
    return view


ROLE_NAMES = {
    "parent": "parent",
    "children": "child",
    "duplicate_of": "duplicate_of",
    "duplicates": "duplicate",
}


def link_rows_for(*, user: Any, incident: Incident) -> list[dict[str, Any]]:
    """The incident's links as rows (role, number, title, status), only to records ``user``
    may see."""
    found = links_of(incident)
    others = {
        role: [link.target if role in ("parent", "duplicate_of") else link.source for link in items]
        for role, items in found.items()
    }
    ids = {other.pk for items in others.values() for other in items}
    if not ids:
        return []
    visible = set(Incident.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {
            "kind": link.kind,
            "role": ROLE_NAMES[role],
            "number": other.number,
            "title": other.title,
            "status": other.status,
            "status_label": other.get_status_display(),
        }
        for role, items in found.items()
        for link, other in zip(items, others[role], strict=True)
        if other.pk in visible
    ]


def agent_choices() -> list[tuple[int, str]]:
    """Active people who may manage a major incident or own a review action."""
    people = (
        Person.objects.filter(
            is_active=True,
            role_grants__role__in=(Role.AGENT, Role.TEAM_LEAD, Role.ADMINISTRATOR),
        )
        .distinct()
        .order_by("username")
    )
    return [(p.pk, str(p)) for p in people]


def management_choices(policy: MajorIncidentPolicy) -> list[tuple[int, str]]:
    """Who may be on the policy's management list in the console: active people with a
    console role (managers, owners, leads, administrators) and those on it already."""
    roles = (*STAFF_ROLES, Role.ADMINISTRATOR)
    current = [] if policy._state.adding else list(policy.management.values_list("pk", flat=True))
    people = (
        Person.objects.filter(Q(is_active=True, role_grants__role__in=roles) | Q(pk__in=current))
        .distinct()
        .order_by("username")
    )
    return [(p.pk, str(p)) for p in people]


def people_by_id(ids: list[int]) -> dict[int, Person]:
    """The people with these ids (for review-action owners and the management list);
    unknown ids are simply absent, and the services check who may be named."""
    return {p.pk: p for p in Person.objects.filter(pk__in=[i for i in ids if i])}
