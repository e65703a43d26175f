"""Administrators' incident configuration: the priority matrix and the incident policy."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import ValidationFailed
from steward.identity import permissions
from steward.incidents.models import IncidentPolicy, PriorityRule
from steward.incidents.priority import LEVELS, PRIORITIES
from steward.incidents.services.common import require

POLICY_FIELDS = ("reopen_window_days", "auto_close_days", "default_team", "it_manager")


def priority_matrix_set(*, actor: Any, cells: dict[tuple[int, int], int]) -> list[PriorityRule]:
    """Set cells of the priority matrix (impact, urgency) → priority. Administrators only.
    Existing incidents keep their priority; new classifications use the new matrix.

    Errors: ``NotPermitted``, ``ValidationFailed`` (a level outside 1..3 or a priority
    outside 1..5).
    """
    require(permissions.is_admin(actor), _("Only administrators can change the matrix."))
    for (impact, urgency), priority in cells.items():
        if impact not in LEVELS or urgency not in LEVELS or priority not in PRIORITIES:
            raise ValidationFailed(
                _("Impact and urgency are 1 to 3 and priority 1 to 5."), field="cells"
            )
    with transaction.atomic():
        rules = {(r.impact, r.urgency): r for r in PriorityRule.objects.select_for_update()}
        for (impact, urgency), priority in sorted(cells.items()):
            rule = rules.get((impact, urgency))
            before = rule.priority if rule is not None else None
            if before == priority:
                continue
            if rule is None:
                rule = PriorityRule(impact=impact, urgency=urgency, priority=priority)
            rule.priority = priority
            rule.save()
            rules[(impact, urgency)] = rule
            audit_record(
                actor=actor, obj=rule, action="update", changes={"priority": [before, priority]}
            )
        return sorted(rules.values(), key=lambda r: (r.impact, r.urgency))


def incident_policy_update(*, actor: Any, changes: dict[str, Any]) -> IncidentPolicy:
    """Change the incident policy (reopen window, auto-close period, default team, the IT
    manager at the top of hierarchical escalation).
    Administrators only. Errors: ``NotPermitted``, ``ValidationFailed``.
    """
    require(permissions.is_admin(actor), _("Only administrators can change the policy."))
    unknown = sorted(set(changes) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    for name in ("reopen_window_days", "auto_close_days"):
        value = changes.get(name)
        if value is not None and (not isinstance(value, int) or not 1 <= value <= 365):
            raise ValidationFailed(_("Between 1 and 365 days."), field=name)
    with transaction.atomic():
        policy = IncidentPolicy.objects.select_for_update().filter(pk=1).first()
        policy = policy or IncidentPolicy(pk=1)
        before = snapshot(policy, POLICY_FIELDS)
        for name, value in changes.items():
            setattr(policy, name, value)
        changed = diff(before, snapshot(policy, POLICY_FIELDS))
        if changed or policy._state.adding:
            policy.save()
            audit_record(actor=actor, obj=policy, action="update", changes=changed)
    return policy
