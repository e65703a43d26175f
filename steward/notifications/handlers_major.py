"""Messages of major incidents: the declaration to those who must act at once, the change
of manager, each update to its audiences, the reminder to the manager when a scheduled update
is overdue, and the completed review to the service owner, the IT manager and each action's
owner. Subscribed in NotificationsConfig.ready().

The events are emitted inside the incident transaction, so the notification and delivery rows
commit (or roll back) with the change that caused them. Names (people, services) are put in
each recipient's language, so the messages that carry them are written one recipient at a
time; every person gets at most one message per event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from steward.identity.models import Person
from steward.incidents.events_major import (
    MajorIncidentDeclared,
    MajorOwnerChanged,
    MajorReviewCompleted,
    MajorUpdateOverdue,
    MajorUpdateWritten,
)
from steward.incidents.models import (
    CommsEntry,
    Incident,
    MajorCriterion,
    MajorIncident,
    MajorReview,
    ReviewAction,
)
from steward.incidents.selectors import incident_policy
from steward.notifications.services import notification_send


def on_major_update_written(event: MajorUpdateWritten) -> None:
    """Send the update to the people of its audiences (none: logged on another channel)."""
    if not event.recipient_ids:
        return
    entry = CommsEntry.objects.select_related("author", "major__incident").get(pk=event.entry_id)
    incident = entry.major.incident
    notification_send(
        event="incident.major_update",
        recipients=Person.objects.filter(pk__in=event.recipient_ids).order_by("pk"),
        record=incident,
        actor=entry.author,
        thread_key=f"major-{incident.number}",
        context={
            "number": incident.number,
            "title": incident.title,
            "status": incident.get_status_display(),
            "message": entry.message,
            "author_name": str(entry.author),
            "written_at": entry.written_at,
        },
    )


def on_major_update_overdue(event: MajorUpdateOverdue) -> None:
    """Remind the manager that the scheduled update is due."""
    incident = Incident.objects.get(pk=event.incident_id)
    owner = Person.objects.get(pk=event.owner_id)
    notification_send(
        event="incident.major_update_due",
        recipients=[owner],
        record=incident,
        context={
            "number": incident.number,
            "title": incident.title,
            "due_at": incident.major.next_update_due_at,
            "link": f"{settings.STEWARD_BASE_URL}/console/incidents/{incident.number}/",
        },
    )


def _link(incident: Incident) -> str:
    return f"{settings.STEWARD_BASE_URL}/console/incidents/{incident.number}/"


def _thread(incident: Incident) -> str:
    """The thread of the major incident's updates, which these messages join."""
    return f"major-{incident.number}"


def _name(person: Person | None, language: str) -> str:
    return person.display_name(language) if person is not None else ""


def _distinct(people: Iterable[Person | None]) -> list[Person]:
    """Each person once, in the order given (a service owner who is also the IT manager is
    told once)."""
    found: dict[int, Person] = {}
    for person in people:
        if person is not None and person.pk not in found:
            found[person.pk] = person
    return list(found.values())


def _it_manager() -> Person | None:
    manager_id = incident_policy().it_manager_id
    return Person.objects.filter(pk=manager_id).first() if manager_id is not None else None


def on_major_declared(event: MajorIncidentDeclared) -> None:
    """Tell the major-incident manager (none named: the support team's lead), the service
    owner and the IT manager that the incident is major, why, and who declared it (nobody for
    the criteria: it was automatic)."""
    major = MajorIncident.objects.select_related(
        "incident__service__owner", "incident__team__lead", "owner", "declared_by"
    ).get(incident_id=event.incident_id)
    incident = major.incident
    service = incident.service
    manager = major.owner or (incident.team.lead if incident.team is not None else None)
    by_hand = major.criterion == MajorCriterion.MANUAL
    declared_by = major.declared_by if by_hand else None
    recipients = _distinct([manager, service.owner if service else None, _it_manager()])
    for person in recipients:
        language = person.language
        notification_send(
            event="incident.major_declared",
            recipients=[person],
            record=incident,
            actor=declared_by,
            thread_key=_thread(incident),
            context={
                "number": incident.number,
                "title": incident.title,
                "priority": incident.priority,
                "service_name": service.display_name(language) if service else "",
                "criterion": MajorCriterion(major.criterion).label,
                "reason": major.reason,
                "declared_by_name": _name(declared_by, language),
                "declared_at": major.declared_at,
                # Empty when nobody was named (the team lead is then told in their place).
                "manager_name": _name(major.owner, language),
                "is_manager": person == major.owner,
                "next_update_due_at": major.next_update_due_at,
                "link": _link(incident),
            },
        )


def on_major_owner_changed(event: MajorOwnerChanged) -> None:
    """Tell the new manager that they now run the major incident and when the next update is
    due, and the previous manager that they handed it over (nothing when only the update
    interval changed)."""
    if event.owner_id is None or event.owner_id == event.previous_owner_id:
        return
    major = MajorIncident.objects.select_related("incident", "owner").get(
        incident_id=event.incident_id
    )
    incident, owner = major.incident, major.owner
    if owner is None:
        return
    people = Person.objects.in_bulk([p for p in (event.actor_id, event.previous_owner_id) if p])
    actor = people.get(event.actor_id) if event.actor_id else None
    previous = people.get(event.previous_owner_id) if event.previous_owner_id else None
    common = {
        "number": incident.number,
        "title": incident.title,
        "interval_minutes": major.update_interval_minutes,
        "next_update_due_at": major.next_update_due_at,
        "link": _link(incident),
    }
    sent = [(owner, "incident.major_owner_changed")]
    if previous is not None:
        sent.append((previous, "incident.major_handed_over"))
    for person, name in sent:
        notification_send(
            event=name,
            recipients=[person],
            record=incident,
            actor=actor,
            thread_key=_thread(incident),
            context={
                **common,
                "owner_name": _name(owner, person.language),
                "previous_name": _name(previous, person.language),
                # Empty when the recipient made the change themselves.
                "actor_name": "" if actor == person else _name(actor, person.language),
            },
        )


def _review(review_id: int) -> tuple[MajorReview, list[ReviewAction]]:
    review = MajorReview.objects.select_related(
        "major__incident__service__owner", "completed_by"
    ).get(pk=review_id)
    actions = list(review.actions.select_related("owner").order_by("due_on", "pk"))
    return review, actions


def _review_context(
    review: MajorReview, actions: list[ReviewAction], language: str
) -> dict[str, Any]:
    incident = review.major.incident
    return {
        "number": incident.number,
        "title": incident.title,
        "cause": review.cause,
        "timeline_summary": review.timeline_summary,
        "completed_at": review.completed_at,
        "completed_by_name": _name(review.completed_by, language),
        "action_count": len(actions),
        "actions": [
            {
                "description": action.description,
                "owner_name": _name(action.owner, language),
                "due_on": action.due_on,
            }
            for action in actions
        ],
        "link": _link(incident),
    }


def on_major_review_completed(event: MajorReviewCompleted) -> None:
    """Send the completed review (cause, actions with owners and due dates) to the service
    owner and the IT manager."""
    review, actions = _review(event.review_id)
    incident = review.major.incident
    service = incident.service
    for person in _distinct([service.owner if service else None, _it_manager()]):
        notification_send(
            event="incident.major_review_completed",
            recipients=[person],
            record=incident,
            actor=review.completed_by,
            thread_key=_thread(incident),
            context=_review_context(review, actions, person.language),
        )


def on_major_review_actions(event: MajorReviewCompleted) -> None:
    """Tell each action's owner, once, the actions of the review that are theirs and when
    each is due."""
    review, actions = _review(event.review_id)
    incident = review.major.incident
    for person in _distinct(action.owner for action in actions):
        theirs = [action for action in actions if action.owner_id == person.pk]
        notification_send(
            event="incident.major_review_action",
            recipients=[person],
            record=incident,
            actor=review.completed_by,
            thread_key=_thread(incident),
            context=_review_context(review, theirs, person.language),
        )
