"""Agreements and their metrics: create, define targets and conditions, activate, retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.services.common import audited_create
from steward.sla.models import (
    Agreement,
    AgreementKind,
    AgreementMetric,
    AgreementStatus,
    BusinessCalendar,
    ImprovementAction,
    MetricKind,
)
from steward.sla.permissions import can_manage_service_levels

AGREEMENT_FIELDS = (
    "code",
    "name",
    "name_en",
    "kind",
    "status",
    "service",
    "customer_department",
    "customer_site_group",
    "team",
    "supplier",
    "valid_from",
    "valid_to",
    "priority_change_policy",
    "reopen_window_days",
    "warning_thresholds",
    "escalation",
    "monthly_limit",
    "compliance_target",
)
ESCALATION_LEVELS = {"", "assignee", "team_lead", "service_owner"}


def _require_manager(actor: Any, agreement_service: Any = None) -> None:
    if actor is None or can_manage_service_levels(actor, agreement_service):
        return
    raise NotPermitted(_("Only administrators and the service owner can change agreements."))


def _check_thresholds(thresholds: Any, escalation: Any) -> None:
    if not isinstance(thresholds, list) or not all(
        isinstance(p, int) and 0 < p < 100 for p in thresholds
    ):
        raise ValidationFailed(
            _("Warning thresholds are percentages between 1 and 99."), field="warning_thresholds"
        )
    if not isinstance(escalation, dict) or not set(escalation.values()) <= ESCALATION_LEVELS:
        raise ValidationFailed(
            _("Escalate to assignee, team_lead or service_owner."), field="escalation"
        )


def agreement_create(
    *, actor: Any, code: str, name: str, service: Any, valid_from: dt.date, **fields: Any
) -> Agreement:
    """Draft an agreement (SLA, OLA or underpinning contract) for a service."""
    _require_manager(actor, service)
    agreement = Agreement(code=code, name=name, service=service, valid_from=valid_from, **fields)
    _check_thresholds(agreement.warning_thresholds, agreement.escalation)
    if agreement.kind == AgreementKind.OLA and agreement.team_id is None:
        raise ValidationFailed(_("An OLA names the internal team."), field="team")
    if agreement.kind == AgreementKind.UC and not agreement.supplier:
        raise ValidationFailed(_("An underpinning contract names the supplier."), field="supplier")
    if agreement.customer_department_id and agreement.customer_site_group_id:
        raise ValidationFailed(
            _("Choose a department or a site group, not both."), field="customer_site_group"
        )
    with transaction.atomic():
        return audited_create(agreement, actor=actor, fields=AGREEMENT_FIELDS)


def metric_set(
    *,
    actor: Any,
    agreement: Agreement,
    kind: str,
    calendar: BusinessCalendar,
    targets: dict[str, int],
    start_states: Sequence[str],
    stop_states: Sequence[str],
    pause_states: Sequence[str] = (),
    cancel_states: Sequence[str] = (),
) -> AgreementMetric:
    """Define (or redefine) one metric of an agreement. Redefining an active agreement makes a
    new agreement version; running clocks keep the version they started with."""
    _require_manager(actor, agreement.service)
    if kind not in MetricKind.values:
        raise ValidationFailed(_("Unknown metric."), field="kind")
    clean_targets: dict[str, int] = {}
    for priority, minutes in targets.items():
        if not str(priority).isdigit() or not isinstance(minutes, int) or minutes <= 0:
            raise ValidationFailed(
                _("Targets are positive minutes per priority (1-5)."), field="targets"
            )
        clean_targets[str(int(priority))] = minutes
    if not clean_targets:
        raise ValidationFailed(_("Give at least one target."), field="targets")
    if not start_states or not stop_states:
        raise ValidationFailed(_("A metric needs start and stop states."), field="start_states")
    overlap = set(pause_states) & (set(stop_states) | set(start_states))
    if overlap:
        raise ValidationFailed(
            _("State %(s)s cannot both pause and start or stop the clock.")
            % {"s": sorted(overlap)[0]},
            field="pause_states",
        )
    with transaction.atomic():
        metric, _created = AgreementMetric.objects.update_or_create(
            agreement=agreement,
            kind=kind,
            defaults={
                "calendar": calendar,
                "targets": clean_targets,
                "start_states": list(start_states),
                "stop_states": list(stop_states),
                "pause_states": list(pause_states),
                "cancel_states": list(cancel_states),
            },
        )
        Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)
        agreement.version += 1
        audit_record(
            actor=actor,
            obj=agreement,
            action="metric",
            changes={
                kind: snapshot(
                    metric,
                    [
                        "calendar",
                        "targets",
                        "start_states",
                        "stop_states",
                        "pause_states",
                        "cancel_states",
                    ],
                ),
                "version": [agreement.version - 1, agreement.version],
            },
        )
        return metric


def agreement_activate(*, actor: Any, agreement: Agreement) -> Agreement:
    """Put a drafted agreement in force (it needs at least one metric)."""
    _require_manager(actor, agreement.service)
    if not agreement.metrics.exists():
        raise ValidationFailed(_("Define at least one metric first."), field="metrics")
    return _set_status(actor, agreement, AgreementStatus.ACTIVE)


def agreement_retire(*, actor: Any, agreement: Agreement) -> Agreement:
    _require_manager(actor, agreement.service)
    return _set_status(actor, agreement, AgreementStatus.RETIRED)


def _set_status(actor: Any, agreement: Agreement, status: str) -> Agreement:
    with transaction.atomic():
        if agreement.status != status:
            Agreement.objects.filter(pk=agreement.pk).update(status=status)
            audit_record(
                actor=actor,
                obj=agreement,
                action=status,
                changes={"status": [agreement.status, status]},
            )
            agreement.status = status
    return agreement


def improvement_action_create(
    *,
    actor: Any,
    agreement: Agreement,
    metric: str,
    period: str,
    description: str,
    owner: Any,
    due_date: dt.date,
) -> ImprovementAction:
    """Record the improvement action a missed period requires."""
    _require_manager(actor, agreement.service)
    if not description.strip():
        raise ValidationFailed(_("Describe the action."), field="description")
    with transaction.atomic():
        return audited_create(
            ImprovementAction(
                agreement=agreement,
                metric=metric,
                period=period,
                description=description,
                owner=owner,
                due_date=due_date,
            ),
            actor=actor,
            fields=("metric", "period", "description", "owner", "due_date"),
        )
