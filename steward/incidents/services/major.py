"""Major incidents: the criteria, declaring, the manager and the update schedule, the
communications log and the reminder job. The review is in ``services.review``.

Process: docs/processes/incidents.md, "Major incidents" (ISO/IEC 20000-1 8.6.1).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import BusinessRuleViolation, Conflict, InvalidTransition, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.incidents import permissions, permissions_major, selectors_major
from steward.incidents.events_major import (
    MajorIncidentDeclared,
    MajorOwnerChanged,
)
from steward.incidents.models import (
    OPEN_STATUSES,
    Incident,
    IncidentLink,
    LinkKind,
    MajorCriterion,
    MajorIncident,
    Priority,
)
from steward.incidents.services.common import (
    before_of,
    lock,
    not_open_message,
    require,
    save_audited,
)


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


def major_declare(
    *, actor: Any, incident: Incident, reason: str, owner: Any = None
) -> MajorIncident:
    """Declare an open incident a major incident by hand, with a reason (team leads and
    administrators). The owner defaults to the support team's lead.

    Emits ``MajorIncidentDeclared`` (in the transaction: the manager, the service owner and
    the IT manager are notified with it). Errors: ``NotPermitted``, ``InvalidTransition`` (not
    open), ``BusinessRuleViolation`` (``already_major``, ``owner_not_agent``),
    ``ValidationFailed`` (reason).
    """
    require(
        permissions.can_declare_major(actor) and permissions.is_agent(actor),
        _("Only team leads and administrators may declare a major incident."),
    )
    reason = " ".join(str(reason).split())
    if not reason:
        raise ValidationFailed(_("Say why this is a major incident."), field="reason")
    if owner is not None:
        _check_owner(owner)
    with transaction.atomic():
        locked = lock(incident)
        if not locked.is_open:
            raise InvalidTransition(not_open_message(locked))
        if MajorIncident.objects.filter(incident=locked).exists():
            raise BusinessRuleViolation(
                _("%(number)s is already a major incident.") % {"number": locked.number},
                code="already_major",
            )
        return declare_locked(
            locked, actor=actor, criterion=MajorCriterion.MANUAL, reason=reason, owner=owner
        )


def declare_locked(
    locked: Incident, *, actor: Any, criterion: str, reason: str, owner: Any = None
) -> MajorIncident:
    """Make a locked incident major: the flag (audited, on the timeline), the record with its
    first update due one interval from now, and the event (in the transaction, so the
    declaration's notifications commit or roll back with it)."""
    now = timezone.now()
    policy = selectors_major.major_policy()
    if owner is None and locked.team is not None and locked.team.lead is not None:
        lead = locked.team.lead
        owner = lead if permissions_major.can_be_major_owner(lead) else None
    before = before_of(locked, ("is_major",))
    locked.is_major = True
    major = MajorIncident.objects.create(
        incident=locked,
        criterion=criterion,
        reason=reason,
        declared_at=now,
        declared_by=actor if _actor_id(actor) is not None else None,
        owner=owner,
        update_interval_minutes=policy.update_interval_minutes,
        next_update_due_at=now + timedelta(minutes=policy.update_interval_minutes),
    )
    save_audited(
        locked,
        actor=actor,
        action="declare_major",
        before=before,
        at=now,
        fields=("is_major",),
        extra={"criterion": criterion, "reason": reason, "owner": str(owner or "")},
    )
    emit_in_transaction(
        MajorIncidentDeclared(
            incident_id=locked.pk,
            number=locked.number,
            actor_id=_actor_id(actor),
            criterion=criterion,
            owner_id=_actor_id(owner),
        )
    )
    return major


def major_follow_flag(locked: Incident, *, actor: Any) -> None:
    """Keep the major-incident record in step with ``is_major`` set through
    ``incident_update`` (whose audit entry records the flag): setting it opens the record
    (declared by hand); clearing it removes a record that has no communications yet and is
    refused once communications were logged (they are evidence)."""
    existing = MajorIncident.objects.filter(incident=locked).first()
    if locked.is_major and existing is None:
        policy = selectors_major.major_policy()
        now = timezone.now()
        lead = locked.team.lead if locked.team is not None else None
        major = MajorIncident.objects.create(
            incident=locked,
            criterion=MajorCriterion.MANUAL,
            reason=_("Marked major in the incident's details."),
            declared_at=now,
            declared_by=actor,
            owner=lead if lead is not None and permissions_major.can_be_major_owner(lead) else None,
            update_interval_minutes=policy.update_interval_minutes,
            next_update_due_at=now + timedelta(minutes=policy.update_interval_minutes),
        )
        emit_in_transaction(
            MajorIncidentDeclared(
                incident_id=locked.pk,
                number=locked.number,
                actor_id=_actor_id(actor),
                criterion=MajorCriterion.MANUAL,
                owner_id=major.owner_id,
            )
        )
    elif not locked.is_major and existing is not None:
        if existing.comms.exists():
            raise BusinessRuleViolation(
                _("%(number)s has a communications log; it stays a major incident.")
                % {"number": locked.number},
                code="major_has_comms",
                field="is_major",
            )
        existing.delete()


def major_evaluate(*, actor: Any, incident: Incident) -> MajorIncident | None:
    """Apply the criteria to an incident just raised or reclassified (in the caller's
    transaction, the incident locked or new):

    - priority 1 on a service whose criticality is at most the policy's: declared major;
    - open incidents on the same service from at least the policy's number of distinct sites
      raised within its window: the incident joins the open major incident of that service as
      a child, or, when there is none, becomes major and the others its children.

    Returns the major incident declared (None when nothing was declared).
    """
    if incident.is_major or not incident.is_open or incident.service is None:
        return None
    policy = selectors_major.major_policy()
    service = incident.service
    if (
        policy.max_criticality is not None
        and incident.priority == Priority.CRITICAL
        and service.criticality <= policy.max_criticality
    ):
        reason = _("Priority 1 on %(service)s (criticality %(level)s).") % {
            "service": service.code,
            "level": service.criticality,
        }
        return declare_locked(
            incident, actor=actor, criterion=MajorCriterion.PRIORITY, reason=reason
        )
    if policy.site_threshold is None:
        return None
    since = timezone.now() - timedelta(minutes=policy.site_window_minutes)
    recent = Incident.objects.filter(
        service=service, status__in=OPEN_STATUSES, opened_at__gte=since, site__isnull=False
    )
    # Enough distinct sites? Reads at most the threshold's number of rows, however many
    # incidents a wide outage brings in the window.
    distinct_sites = recent.order_by().values_list("site_id", flat=True).distinct()
    if len(distinct_sites[: policy.site_threshold]) < policy.site_threshold:
        return None
    existing = (
        MajorIncident.objects.filter(incident__service=service, incident__status__in=OPEN_STATUSES)
        .select_related("incident")
        .first()
    )
    if existing is not None:
        _adopt(existing.incident, [incident], actor=actor)
        return None
    reason = _("%(count)d sites reported %(service)s within %(minutes)d minutes.") % {
        "count": distinct_sites.count(),
        "service": service.code,
        "minutes": policy.site_window_minutes,
    }
    major = declare_locked(incident, actor=actor, criterion=MajorCriterion.SITES, reason=reason)
    _adopt(incident, list(recent.exclude(pk=incident.pk).filter(is_major=False)), actor=actor)
    return major


def _adopt(parent: Incident, incidents: list[Incident], *, actor: Any) -> None:
    """Link each incident without a parent as a child of ``parent`` (audited on the child)."""
    for child in incidents:
        if (
            child.pk == parent.pk
            or IncidentLink.objects.filter(source=child, kind=LinkKind.CHILD_OF).exists()
        ):
            continue
        IncidentLink.objects.create(
            source=child, target=parent, kind=LinkKind.CHILD_OF, created_by=None
        )
        audit_record(
            actor=actor,
            obj=child,
            action="link",
            changes={"kind": LinkKind.CHILD_OF, "target": parent.number, "automatic": True},
        )


def _check_owner(owner: Any) -> None:
    if not permissions_major.can_be_major_owner(owner):
        raise BusinessRuleViolation(
            _("%(person)s is not an active agent and cannot manage a major incident.")
            % {"person": owner},
            code="owner_not_agent",
            field="owner_id",
        )


def lock_major(major: MajorIncident, version: int | None) -> MajorIncident:
    locked: MajorIncident = (
        MajorIncident.objects.select_for_update().select_related("incident").get(pk=major.pk)
    )
    if version is not None and locked.version != version:
        raise Conflict(
            _("The major incident was changed by someone else; reload it and try again."),
            code="stale_version",
            field="version",
        )
    return locked


def major_set_owner(
    *,
    actor: Any,
    major: MajorIncident,
    owner: Any,
    update_interval_minutes: int | None = None,
    version: int | None = None,
) -> MajorIncident:
    """Name the major-incident manager and (optionally) change the update interval; the next
    update falls due one interval after the last one (or the declaration).

    Emits ``MajorOwnerChanged`` (in the transaction: the new and the previous manager are
    notified with it). Errors: ``NotPermitted``, ``Conflict`` (stale version),
    ``BusinessRuleViolation`` (``owner_not_agent``), ``ValidationFailed`` (interval).
    """
    require(
        permissions_major.can_set_major_owner(actor, major.incident),
        _("Only team leads and administrators may change the major-incident manager."),
    )
    _check_owner(owner)
    if update_interval_minutes is not None and not 5 <= update_interval_minutes <= 1440:
        raise ValidationFailed(
            _("The update interval is 5 to 1440 minutes."), field="update_interval_minutes"
        )
    with transaction.atomic():
        locked = lock_major(major, version)
        if not locked.incident.is_open:
            raise InvalidTransition(not_open_message(locked.incident))
        before = {"owner": str(locked.owner or ""), "interval": locked.update_interval_minutes}
        previous_owner_id = locked.owner_id
        locked.owner = owner
        if update_interval_minutes is not None:
            locked.update_interval_minutes = update_interval_minutes
            last = locked.comms.order_by("-written_at").values_list("written_at", flat=True).first()
            locked.next_update_due_at = (last or locked.declared_at) + timedelta(
                minutes=update_interval_minutes
            )
        after = {"owner": str(owner), "interval": locked.update_interval_minutes}
        if before == after:
            return locked
        locked.version += 1
        locked.save()
        audit_record(
            actor=actor,
            obj=locked.incident,
            action="major_owner",
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
        )
        emit_in_transaction(
            MajorOwnerChanged(
                incident_id=locked.incident_id,
                number=locked.incident.number,
                actor_id=actor.pk,
                owner_id=owner.pk,
                previous_owner_id=previous_owner_id,
                update_interval_minutes=locked.update_interval_minutes,
            )
        )
    return locked
