"""Redundancy groups: interchangeable CIs, so that one member's failure impacts nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import history, permissions
from steward.cmdb.models import ChangeAction, ConfigurationItem, RedundancyGroup
from steward.cmdb.services.common import require
from steward.core.errors import ValidationFailed
from steward.identity.models import Team
from steward.identity.services.common import audited_create

GROUP_FIELDS = ("code", "name", "name_en", "description", "support_team")


def group_create(
    *,
    actor: Any,
    code: str,
    name: str,
    support_team: Team | None = None,
    members: Iterable[ConfigurationItem] = (),
    change_number: str | None = None,
    **fields: Any,
) -> RedundancyGroup:
    """Create a redundancy group. Administrators, or members of its support team."""
    if actor is not None:
        require(
            permissions.can_create_ci(actor, support_team),
            _("Only administrators and the group's support team can create it."),
        )
    with transaction.atomic():
        if RedundancyGroup.objects.filter(code__iexact=code).exists():
            raise ValidationFailed(_("The code %(code)s is taken.") % {"code": code}, field="code")
        group = audited_create(
            RedundancyGroup(code=code, name=name, support_team=support_team, **fields),
            actor=actor,
            fields=GROUP_FIELDS,
        )
        _set_members(actor=actor, group=group, members=list(members), change_number=change_number)
        return group


def group_set_members(
    *,
    actor: Any,
    group: RedundancyGroup,
    members: Iterable[ConfigurationItem],
    change_number: str | None = None,
) -> RedundancyGroup:
    """Replace the members of a group. A CI belongs to at most one group.

    Each CI that joins or leaves gets a history row (``redundancy_group``) and a new version.
    Raises ``NotPermitted``, ``ValidationFailed`` (field ``members``).
    """
    if actor is not None:
        require(
            permissions.can_edit_group(actor, group),
            _("Only administrators and the group's support team can change it."),
        )
    with transaction.atomic():
        _set_members(actor=actor, group=group, members=list(members), change_number=change_number)
        return group


def _set_members(
    *,
    actor: Any,
    group: RedundancyGroup,
    members: list[ConfigurationItem],
    change_number: str | None,
) -> None:
    wanted = {ci.pk for ci in members}
    locked = list(
        ConfigurationItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("ci_class", "redundancy_group")
        .filter(pk__in=wanted | set(group.members.values_list("pk", flat=True)))
        .order_by("pk")
    )
    for ci in locked:
        if ci.pk in wanted and ci.redundancy_group_id not in (None, group.pk):
            raise ValidationFailed(
                _("%(ci)s is already in the group %(group)s.")
                % {"ci": ci.ci_id, "group": ci.redundancy_group.code},  # type: ignore[union-attr]
                field="members",
            )
    for ci in locked:
        joins = ci.pk in wanted
        if joins == (ci.redundancy_group_id == group.pk):
            continue
        before = ci.redundancy_group.code if ci.redundancy_group else None
        ci.redundancy_group = group if joins else None
        ci.version += 1
        ci.save(update_fields=["redundancy_group", "version", "updated_at"])
        change = {"redundancy_group": [before, group.code if joins else None]}
        audit_record(actor=actor, obj=ci, action="update", changes=change)
        history.record(
            ci=ci,
            action=ChangeAction.GROUP,
            changes=change,
            actor=actor,
            change_number=change_number,
        )
