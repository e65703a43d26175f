"""Baselines: take a named snapshot of a scope of CIs. Comparisons are reads
(``selectors.baseline_compare``). See docs/processes/cmdb.md ("Baselines and audits")."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import permissions
from steward.cmdb.baselines import SCOPE_KEYS, scope_items, snapshots
from steward.cmdb.models import Baseline, BaselineItem
from steward.cmdb.services.common import require
from steward.core.errors import Conflict, ValidationFailed


def check_scope(scope: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(scope) - set(SCOPE_KEYS))
    if unknown:
        raise ValidationFailed(_("Unknown scope key %(k)s.") % {"k": unknown[0]}, field="scope")
    return {k: v for k, v in scope.items() if v not in (None, "", [])}


def baseline_create(
    *, actor: Any, code: str, name: str, scope: dict[str, Any], description: str = ""
) -> Baseline:
    """Snapshot every CI of ``scope`` now, under a new code.

    Preconditions: an administrator or a change manager; the code is new; the scope names
    at least one CI. Raises ``NotPermitted``, ``Conflict``, ``ValidationFailed``.
    """
    if actor is not None:
        require(
            permissions.can_manage_baselines(actor),
            _("Only administrators and change managers take baselines."),
        )
    scope = check_scope(scope)
    with transaction.atomic():
        if Baseline.objects.filter(code__iexact=code).exists():
            raise Conflict(_("The baseline %(c)s exists.") % {"c": code}, field="code")
        items = list(scope_items(scope))
        if not items:
            raise ValidationFailed(_("The scope names no CI."), field="scope")
        baseline = Baseline.objects.create(
            code=code.strip(),
            name=name,
            description=description,
            scope=scope,
            taken_at=timezone.now(),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        snaps = snapshots(items)
        BaselineItem.objects.bulk_create(
            [BaselineItem(baseline=baseline, ci=ci, snapshot=snaps[ci.ci_id]) for ci in items]
        )
        audit_record(
            actor=actor,
            obj=baseline,
            action="create",
            changes={"code": baseline.code, "scope": scope, "items": len(items)},
        )
    return baseline
