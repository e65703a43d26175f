"""CMDB API: baselines (take, list, compare) and configuration audits (plan, run, findings,
corrective actions). Thin: selectors and services do the work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.cmdb import selectors, services
from steward.cmdb.baselines import Comparison
from steward.cmdb.schemas import (
    AuditCreateIn,
    AuditOut,
    AuditRunOut,
    BaselineCreateIn,
    BaselineOut,
    ComparisonOut,
    FindingActIn,
    FindingOut,
)
from steward.core.errors import ValidationFailed
from steward.identity.models import Team

router = Router(tags=["cmdb"])


@router.get("/baselines", response=list[BaselineOut], operation_id="cmdb_baselines_list")
@paginate(CursorPagination, ordering=("-id",))
def baselines_list(request: HttpRequest) -> Any:
    return selectors.baseline_list_for(user=request.user)


@router.post("/baselines", response={201: BaselineOut}, operation_id="cmdb_baselines_create")
def baselines_create(request: HttpRequest, payload: BaselineCreateIn) -> Any:
    baseline = services.baseline_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        description=payload.description,
        scope=payload.scope.dict(exclude_none=True),
    )
    return Status(201, selectors.baseline_get_for(user=request.user, code=baseline.code))


@router.get("/baselines/{code}", response=BaselineOut, operation_id="cmdb_baselines_get")
def baselines_get(request: HttpRequest, code: str) -> Any:
    return selectors.baseline_get_for(user=request.user, code=code)


def _comparison(left: str, right: str, result: Comparison) -> dict[str, Any]:
    return {
        "left": left,
        "right": right,
        "same": result.same,
        "added": result.added,
        "removed": result.removed,
        "changed": [
            {"ci_id": c, "field": f, "before": b, "after": a} for c, f, b, a in result.changed
        ],
    }


@router.get(
    "/baselines/{code}/compare", response=ComparisonOut, operation_id="cmdb_baselines_compare"
)
def baselines_compare(request: HttpRequest, code: str, to: str = "now") -> Any:
    """Compare with another baseline (``to=<code>``) or with the CIs as they are now."""
    left = selectors.baseline_get_for(user=request.user, code=code)
    right = None if to == "now" else selectors.baseline_get_for(user=request.user, code=to)
    result = selectors.baseline_compare(user=request.user, left=left, right=right)
    return _comparison(left.code, right.code if right else "now", result)


@router.get("/audits", response=list[AuditOut], operation_id="cmdb_audits_list")
@paginate(CursorPagination, ordering=("id",))
def audits_list(request: HttpRequest) -> Any:
    return selectors.audit_list_for(user=request.user)


@router.post("/audits", response={201: AuditOut}, operation_id="cmdb_audits_create")
def audits_create(request: HttpRequest, payload: AuditCreateIn) -> Any:
    baseline = (
        selectors.baseline_get_for(user=request.user, code=payload.baseline)
        if payload.baseline
        else None
    )
    team = None
    if payload.support_team:
        team = Team.objects.filter(code__iexact=payload.support_team).first()
        if team is None:
            raise ValidationFailed(_("No such team."), field="support_team")
    audit = services.audit_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        scope=payload.scope.dict(exclude_none=True),
        first_due=payload.first_due,
        interval_days=payload.interval_days,
        baseline=baseline,
        stale_after_days=payload.stale_after_days,
        support_team=team,
    )
    return Status(201, selectors.audit_get_for(user=request.user, code=audit.code))


@router.post("/audits/{code}/run", response={201: AuditRunOut}, operation_id="cmdb_audits_run")
def audits_run(request: HttpRequest, code: str) -> Any:
    """Run the audit now (once a day: 409 if it already ran today)."""
    audit = selectors.audit_get_for(user=request.user, code=code)
    return Status(201, services.audit_run_now(actor=request.user, audit=audit))


@router.get("/findings", response=list[FindingOut], operation_id="cmdb_findings_list")
@paginate(CursorPagination, ordering=("id",))
def findings_list(request: HttpRequest, audit: str = "", status: str = "") -> Any:
    found = selectors.audit_get_for(user=request.user, code=audit) if audit else None
    return selectors.finding_list_for(user=request.user, audit=found, status=status)


@router.post("/findings/{finding_id}/act", response=FindingOut, operation_id="cmdb_findings_act")
def findings_act(request: HttpRequest, finding_id: int, payload: FindingActIn) -> Any:
    finding = selectors.finding_get_for(user=request.user, finding_id=finding_id)
    services.finding_act(
        actor=request.user,
        finding=finding,
        action=payload.action,
        note=payload.note,
        action_due=payload.action_due,
    )
    return selectors.finding_get_for(user=request.user, finding_id=finding_id)
