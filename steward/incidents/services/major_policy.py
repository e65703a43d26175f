"""Editing the major-incident criteria and schedule (data, administrators only, audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import ValidationFailed
from steward.identity import permissions
from steward.identity.models import Person
from steward.incidents.models import MajorIncidentPolicy
from steward.incidents.services.common import require

POLICY_FIELDS = (
    "max_criticality",
    "site_threshold",
    "site_window_minutes",
    "update_interval_minutes",
)
RANGES = {
    "max_criticality": (1, 4, gettext_lazy("1 to 4, or empty to switch it off.")),
    "site_threshold": (2, 1000, gettext_lazy("2 or more, or empty to switch it off.")),
    "site_window_minutes": (1, 1440, gettext_lazy("1 to 1440 minutes.")),
    "update_interval_minutes": (5, 1440, gettext_lazy("5 to 1440 minutes.")),
}
NULLABLE = ("max_criticality", "site_threshold")


def major_policy_update(
    *, actor: Any, changes: dict[str, Any], management: list[Person] | None = None
) -> MajorIncidentPolicy:
    """Change the criteria (priority-1 criticality, sites and window), the default update
    interval and the management list. Administrators only; one audit entry.

    Errors: ``NotPermitted``, ``ValidationFailed`` (field and range).
    """
    require(permissions.is_admin(actor), _("Only administrators can change the policy."))
    unknown = sorted(set(changes) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    for name, value in changes.items():
        low, high, message = RANGES[name]
        if value is None and name in NULLABLE:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValidationFailed(str(message), field=name)
    with transaction.atomic():
        policy = MajorIncidentPolicy.objects.select_for_update().filter(pk=1).first()
        policy = policy or MajorIncidentPolicy(pk=1)
        adding = policy._state.adding
        before = snapshot(policy, POLICY_FIELDS)
        old_people = [] if adding else sorted(policy.management.values_list("pk", flat=True))
        for name, value in changes.items():
            setattr(policy, name, value)
        changed: dict[str, Any] = diff(before, snapshot(policy, POLICY_FIELDS))
        if changed or adding:
            policy.version += 0 if adding else 1
            policy.save()
        if management is not None:
            new_people = sorted(p.pk for p in management)
            if new_people != old_people:
                policy.management.set(management)
                changed["management"] = [old_people, new_people]
        if changed or adding:
            audit_record(actor=actor, obj=policy, action="update", changes=changed)
    return policy
