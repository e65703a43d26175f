"""Parent/child links between incidents, resolving a parent's children, and merging
duplicates into a surviving record.

Process: docs/processes/incidents.md, "Links and merging" (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import BusinessRuleViolation, DomainError, InvalidTransition
from steward.core.events import publish
from steward.incidents import permissions, permissions_major, selectors_major
from steward.incidents.events_major import IncidentLinked, IncidentMerged
from steward.incidents.models import (
    TERMINAL_STATUSES,
    Comment,
    CommentVisibility,
    Incident,
    IncidentLink,
    IncidentStatus,
    LinkKind,
    ResolutionCode,
)
from steward.incidents.services.common import (
    before_of,
    lock,
    not_open_message,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)
from steward.incidents.services.lifecycle import incident_resolve
from steward.workitems.models import Attachment
from steward.workitems.selectors import attachments_for


def _refuse(message: str, code: str) -> BusinessRuleViolation:
    return BusinessRuleViolation(message, code=code)


def _lock_pair(first: Incident, second: Incident) -> tuple[Incident, Incident]:
    """Lock two incidents in id order (no deadlock between two merges of the same pair)."""
    ordered = sorted((first, second), key=lambda i: i.pk)
    locked = {i.pk: lock(i) for i in ordered}
    return locked[first.pk], locked[second.pk]


def _ancestors(incident: Incident) -> list[int]:
    """The ids up the parent chain of ``incident`` (itself first)."""
    seen = [incident.pk]
    current = incident.pk
    while True:
        parent = (
            IncidentLink.objects.filter(source_id=current, kind=LinkKind.CHILD_OF)
            .values_list("target_id", flat=True)
            .first()
        )
        if parent is None or parent in seen:
            return seen
        seen.append(parent)
        current = parent


def incident_link_child(*, actor: Any, child: Incident, parent: Incident) -> IncidentLink:
    """Record that ``child`` was caused by ``parent`` (e.g. a store's incident caused by the
    major incident). A record has one parent; a parent may not be closed or cancelled; no
    record becomes its own ancestor.

    Emits ``IncidentLinked``. Errors: ``NotPermitted``, ``InvalidTransition`` (child closed),
    ``BusinessRuleViolation`` (``link_self``, ``link_parent_closed``, ``link_has_parent``,
    ``link_cycle``).
    """
    require(permissions_major.can_link(actor, child), _("You may not link this incident."))
    if child.pk == parent.pk:
        raise _refuse(_("An incident cannot be its own parent."), "link_self")
    with transaction.atomic():
        child, parent = _lock_pair(child, parent)
        if child.status in TERMINAL_STATUSES:
            raise InvalidTransition(not_open_message(child))
        if parent.status in TERMINAL_STATUSES:
            raise _refuse(
                _("%(number)s is closed; link to an open incident.") % {"number": parent.number},
                "link_parent_closed",
            )
        current = IncidentLink.objects.filter(source=child, kind=LinkKind.CHILD_OF).first()
        if current is not None:
            raise _refuse(
                _("%(number)s already has a parent; unlink it first.") % {"number": child.number},
                "link_has_parent",
            )
        if child.pk in _ancestors(parent):
            raise _refuse(
                _("%(parent)s is caused by %(child)s; the link would make a cycle.")
                % {"parent": parent.number, "child": child.number},
                "link_cycle",
            )
        link = IncidentLink.objects.create(
            source=child, target=parent, kind=LinkKind.CHILD_OF, created_by=actor
        )
        audit_record(
            actor=actor,
            obj=child,
            action="link",
            changes={"kind": LinkKind.CHILD_OF, "target": parent.number},
        )
        audit_record(actor=actor, obj=parent, action="link_child", changes={"child": child.number})
        publish(
            IncidentLinked(
                incident_id=child.pk,
                number=child.number,
                actor_id=actor.pk,
                kind=LinkKind.CHILD_OF,
                target_number=parent.number,
                removed=False,
            )
        )
    return link


def incident_unlink_parent(*, actor: Any, child: Incident) -> Incident:
    """Remove the child's parent link (audited on both).

    Emits ``IncidentLinked`` (removed). Errors: ``NotPermitted``, ``BusinessRuleViolation``
    (``link_missing``).
    """
    require(permissions_major.can_link(actor, child), _("You may not link this incident."))
    with transaction.atomic():
        locked = lock(child)
        link = (
            IncidentLink.objects.select_related("target")
            .filter(source=locked, kind=LinkKind.CHILD_OF)
            .first()
        )
        if link is None:
            raise _refuse(
                _("%(number)s has no parent.") % {"number": locked.number}, "link_missing"
            )
        parent = link.target
        link.delete()
        audit_record(
            actor=actor,
            obj=locked,
            action="unlink",
            changes={"kind": LinkKind.CHILD_OF, "target": parent.number},
        )
        audit_record(
            actor=actor, obj=parent, action="unlink_child", changes={"child": locked.number}
        )
        publish(
            IncidentLinked(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=actor.pk,
                kind=LinkKind.CHILD_OF,
                target_number=parent.number,
                removed=True,
            )
        )
    return locked


@dataclass(frozen=True)
class ItemResult:
    """What happened to one record of a multi-record operation."""

    number: str
    done: bool
    message: str = ""
    code: str = ""


def incident_resolve_children(*, actor: Any, parent: Incident) -> list[ItemResult]:
    """Resolve every open child of a resolved (or closed) parent with the parent's
    resolution code and note, each through ``incident_resolve`` (its own audit entry, SLA
    stop and notice to its requester). A child the actor may not resolve is reported and
    the others are still resolved.

    Errors: ``BusinessRuleViolation`` (``parent_not_resolved``).
    """
    if parent.status not in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
        raise _refuse(
            _("Resolve %(number)s first; its children take its resolution.")
            % {"number": parent.number},
            "parent_not_resolved",
        )
    note = _("Resolved with %(number)s: %(note)s") % {
        "number": parent.number,
        "note": parent.resolution_note,
    }
    results = []
    for child in selectors_major.open_children_of(parent):
        try:
            with transaction.atomic():
                incident_resolve(
                    actor=actor,
                    incident=child,
                    resolution_code=parent.resolution_code,
                    resolution_note=note,
                )
        except DomainError as error:
            results.append(ItemResult(child.number, False, error.message, error.code))
        else:
            results.append(ItemResult(child.number, True))
    return results


def incident_merge(*, actor: Any, duplicate: Incident, into: Incident) -> Incident:
    """Merge ``duplicate`` into the surviving record ``into``: its comments and attachments
    are copied to ``into`` (with their authors and times), its requester is noted there, its
    children move to ``into``, the two are linked (duplicate of / merged in), and the
    duplicate is closed with the resolution "duplicate". Both records are audited.

    Refused: merging a record into itself, into a closed or cancelled record, a closed
    record, a major incident (merge the others into it), into a record that is itself a
    duplicate, or a record that others were merged into (no chains or cycles).

    Emits ``IncidentMerged``. Errors: ``NotPermitted``, ``InvalidTransition``,
    ``BusinessRuleViolation`` (``merge_self``, ``merge_into_closed``, ``merge_major``,
    ``merge_chain``, ``merge_cycle``).
    """
    require(
        permissions_major.can_merge(actor, duplicate) and permissions.can_work(actor, into),
        _("You may only merge incidents you work on."),
    )
    if duplicate.pk == into.pk:
        raise _refuse(_("An incident cannot be merged into itself."), "merge_self")
    with transaction.atomic():
        duplicate, into = _lock_pair(duplicate, into)
        _check_merge(duplicate, into)
        now = timezone.now()
        comments = _copy_comments(duplicate, into)
        attachments = _copy_attachments(duplicate, into)
        moved = list(
            IncidentLink.objects.filter(target=duplicate, kind=LinkKind.CHILD_OF).values_list(
                "source__number", flat=True
            )
        )
        IncidentLink.objects.filter(target=duplicate, kind=LinkKind.CHILD_OF).update(target=into)
        IncidentLink.objects.create(
            source=duplicate, target=into, kind=LinkKind.DUPLICATE_OF, created_by=actor
        )
        Comment.objects.create(
            incident=into,
            author=actor,
            visibility=CommentVisibility.INTERNAL,
            created_at=now,
            body=_("%(number)s (raised by %(requester)s) was merged into this incident.")
            % {"number": duplicate.number, "requester": duplicate.requester},
        )
        status = target_of(duplicate, "merge")
        before = before_of(duplicate)
        duplicate.status = status
        duplicate.hold_reason = ""
        duplicate.resolved_at = duplicate.resolved_at or now
        duplicate.resolution_code = ResolutionCode.DUPLICATE
        duplicate.resolution_note = _("Merged into %(number)s.") % {"number": into.number}
        duplicate.closed_at = now
        save_audited(
            duplicate,
            actor=actor,
            action="merge",
            before=before,
            at=now,
            extra={"into": into.number},
        )
        sla_follow_status(duplicate, now)
        into_before = before_of(into)
        save_audited(
            into,
            actor=actor,
            action="merged_in",
            before=into_before,
            at=now,
            extra={
                "duplicate": duplicate.number,
                "requester": str(duplicate.requester),
                "comments": comments,
                "attachments": attachments,
                "children": moved,
            },
        )
        publish(
            IncidentMerged(
                incident_id=duplicate.pk,
                number=duplicate.number,
                actor_id=actor.pk,
                into_id=into.pk,
                into_number=into.number,
            )
        )
    return into


def _check_merge(duplicate: Incident, into: Incident) -> None:
    if into.status in TERMINAL_STATUSES:
        raise _refuse(
            _("%(number)s is closed; merge into an open record.") % {"number": into.number},
            "merge_into_closed",
        )
    if duplicate.status in TERMINAL_STATUSES:
        raise InvalidTransition(not_open_message(duplicate))
    if duplicate.is_major:
        raise _refuse(
            _("%(number)s is a major incident; merge the other records into it instead.")
            % {"number": duplicate.number},
            "merge_major",
        )
    if IncidentLink.objects.filter(source=into, kind=LinkKind.DUPLICATE_OF).exists():
        raise _refuse(
            _("%(number)s is itself a duplicate; merge into the record it was merged into.")
            % {"number": into.number},
            "merge_chain",
        )
    if IncidentLink.objects.filter(target=duplicate, kind=LinkKind.DUPLICATE_OF).exists():
        raise _refuse(
            _("Other records were merged into %(number)s; merge the other way round.")
            % {"number": duplicate.number},
            "merge_chain",
        )
    if duplicate.pk in _ancestors(into):
        raise _refuse(
            _("%(into)s is caused by %(number)s; merging would make a cycle.")
            % {"into": into.number, "number": duplicate.number},
            "merge_cycle",
        )


def _copy_comments(duplicate: Incident, into: Incident) -> int:
    copies = [
        Comment(
            incident=into,
            author_id=c.author_id,
            visibility=c.visibility,
            created_at=c.created_at,
            body=f"[{duplicate.number}] {c.body}",
        )
        for c in duplicate.comments.order_by("created_at", "id")
    ]
    Comment.objects.bulk_create(copies)
    return len(copies)


def _copy_attachments(duplicate: Incident, into: Incident) -> int:
    """The same stored files, attached to ``into`` too (the duplicate keeps its own)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Incident)
    copies = [
        Attachment(
            content_type=content_type,
            object_id=into.pk,
            file=a.file.name,
            filename=a.filename,
            media_type=a.media_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_by_id=a.uploaded_by_id,
            uploaded_at=a.uploaded_at,
        )
        for a in attachments_for(record=duplicate)
    ]
    Attachment.objects.bulk_create(copies)
    return len(copies)
