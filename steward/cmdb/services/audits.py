"""Configuration audits (ISO/IEC 20000-1 8.2.6): plan an audit over a scope, run it when due
(once per due date), record findings, and track each finding's corrective action.
See docs/processes/cmdb.md ("Baselines and audits")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import permissions
from steward.cmdb.baselines import compare, scope_items, snapshots
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.models import (
    FINDING_TRANSITIONS,
    AuditFinding,
    AuditRun,
    Baseline,
    CiChange,
    CiFact,
    ConfigurationAudit,
    ConfigurationItem,
    FindingKind,
    FindingStatus,
)
from steward.cmdb.services.baselines import check_scope
from steward.cmdb.services.common import require
from steward.core.errors import Conflict, ValidationFailed
from steward.core.events import Event, publish
from steward.identity.models import Team


@dataclass(frozen=True)
class ConfigurationAuditRan(Event):
    audit_id: int
    run_id: int
    finding_count: int


def audit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    scope: dict[str, Any],
    first_due: dt.date,
    interval_days: int = 90,
    baseline: Baseline | None = None,
    stale_after_days: int | None = None,
    support_team: Team | None = None,
) -> ConfigurationAudit:
    """Plan a configuration audit. Administrators and change managers.

    Raises ``NotPermitted``, ``Conflict`` (code taken), ``ValidationFailed``.
    """
    if actor is not None:
        require(
            permissions.can_manage_baselines(actor),
            _("Only administrators and change managers plan audits."),
        )
    if interval_days < 1:
        raise ValidationFailed(_("The interval is at least one day."), field="interval_days")
    scope = check_scope(scope)
    with transaction.atomic():
        if ConfigurationAudit.objects.filter(code__iexact=code).exists():
            raise Conflict(_("The audit %(c)s exists.") % {"c": code}, field="code")
        audit = ConfigurationAudit.objects.create(
            code=code.strip(),
            name=name,
            scope=scope,
            baseline=baseline,
            interval_days=interval_days,
            stale_after_days=stale_after_days,
            next_due=first_due,
            support_team=support_team,
        )
        audit_record(
            actor=actor,
            obj=audit,
            action="create",
            changes={"code": audit.code, "scope": scope, "next_due": first_due.isoformat()},
        )
    return audit


def _findings(audit: ConfigurationAudit, now: dt.datetime) -> tuple[int, list[AuditFinding]]:
    items = list(scope_items(audit.scope))
    by_id = {ci.ci_id: ci for ci in items}
    found: list[AuditFinding] = []
    if audit.baseline is not None:
        base = {i.ci.ci_id: i.snapshot for i in audit.baseline.items.select_related("ci")}
        cmp = compare(base, snapshots(items))
        found += [AuditFinding(ci=by_id[c], kind=FindingKind.ADDED) for c in cmp.added]
        gone = ConfigurationItem.objects.in_bulk(cmp.removed, field_name="ci_id")
        found += [AuditFinding(ci=gone[c], kind=FindingKind.REMOVED) for c in cmp.removed]
        found += [
            AuditFinding(
                ci=by_id[c], kind=FindingKind.DRIFT, field=f, detail={"baseline": b, "now": a}
            )
            for c, f, b, a in cmp.changed
        ]
    unreviewed = CiChange.objects.filter(
        ci__in=items, unauthorised=True, reviewed_at__isnull=True
    ).values_list("ci__ci_id", "field", "id")
    found += [
        AuditFinding(ci=by_id[c], kind=FindingKind.UNAUTHORISED, field=f, detail={"change": pk})
        for c, f, pk in unreviewed
    ]
    tree = class_tree()
    for ci in items:
        for spec in definitions_of(ci.ci_class, tree):
            if spec.get("required") and ci.attributes.get(spec["key"]) in (None, ""):
                found.append(
                    AuditFinding(
                        ci=ci, kind=FindingKind.MISSING_VALUE, field=f"attributes.{spec['key']}"
                    )
                )
    if audit.stale_after_days is not None:
        since = now - dt.timedelta(days=audit.stale_after_days)
        fresh = set(
            CiFact.objects.filter(ci__in=items, observed_at__gte=since).values_list(
                "ci_id", flat=True
            )
        )
        found += [AuditFinding(ci=ci, kind=FindingKind.STALE) for ci in items if ci.pk not in fresh]
    return len(items), found


def audit_run(*, audit_id: int, due_date: dt.date | None = None) -> AuditRun | None:
    """Run an audit for ``due_date`` (its next due date unless given) and move the next due
    date on by the interval. Idempotent: a second run for the same date does nothing
    (None). Emits ``ConfigurationAuditRan`` on commit."""
    with transaction.atomic():
        audit = (
            ConfigurationAudit.objects.select_for_update(no_key=True, of=("self",))
            .select_related("baseline")
            .get(pk=audit_id)
        )
        due = due_date or audit.next_due
        if AuditRun.objects.filter(audit=audit, due_date=due).exists():
            return None
        now = timezone.now()
        checked, findings = _findings(audit, now)
        run = AuditRun.objects.create(
            audit=audit, due_date=due, ran_at=now, checked=checked, finding_count=len(findings)
        )
        for finding in findings:
            finding.run = run
        AuditFinding.objects.bulk_create(findings)
        if due >= audit.next_due:
            audit.next_due = due + dt.timedelta(days=audit.interval_days)
            audit.save(update_fields=["next_due", "updated_at"])
        audit_record(
            actor=None,
            obj=audit,
            action="run",
            changes={"due_date": due.isoformat(), "checked": checked, "findings": len(findings)},
        )
        publish(
            ConfigurationAuditRan(audit_id=audit.pk, run_id=run.pk, finding_count=len(findings))
        )
    return run


def audits_due(*, today: dt.date) -> list[int]:
    """Ids of the active audits due on or before ``today``."""
    return list(
        ConfigurationAudit.objects.filter(is_active=True, next_due__lte=today).values_list(
            "pk", flat=True
        )
    )


def finding_act(
    *,
    actor: Any,
    finding: AuditFinding,
    action: str,
    note: str = "",
    action_due: dt.date | None = None,
) -> AuditFinding:
    """Track a finding's corrective action: ``plan_action`` (what and by when), ``resolve``,
    ``accept`` (the CMDB is right as it is). Raises ``NotPermitted``, ``InvalidTransition``."""
    team_id = finding.run.audit.support_team_id
    if actor is not None:
        require(
            permissions.can_act_on_finding(actor, team_id),
            _("You may not act on this finding."),
        )
    with transaction.atomic():
        locked = AuditFinding.objects.select_for_update(no_key=True).get(pk=finding.pk)
        before = locked.status
        locked.status = FINDING_TRANSITIONS.target(action, before)
        fields = ["status", "updated_at"]
        if note:
            locked.action = note
            fields.append("action")
        if action_due is not None:
            locked.action_due = action_due
            fields.append("action_due")
        if locked.status in (FindingStatus.RESOLVED, FindingStatus.ACCEPTED):
            locked.closed_at = timezone.now()
            locked.closed_by = actor if actor is not None and actor.is_authenticated else None
            fields += ["closed_at", "closed_by"]
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            obj=locked,
            action=action,
            changes={"status": [before, locked.status], "action": note},
        )
    return locked


def audit_run_now(*, actor: Any, audit: ConfigurationAudit) -> AuditRun:
    """Run an audit now, as of today (not waiting for the daily job); a run today that
    reaches the next due date counts as the due run.

    Raises ``NotPermitted`` (not an administrator or change manager), ``Conflict`` (it
    already ran today).
    """
    if actor is not None:
        require(
            permissions.can_manage_baselines(actor),
            _("Only administrators and change managers run audits."),
        )
    run = audit_run(audit_id=audit.pk, due_date=timezone.localdate())
    if run is None:
        raise Conflict(_("This audit already ran today."))
    return run
