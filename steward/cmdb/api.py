"""CMDB API: classes, CIs, relations, redundancy groups, history, impact analysis.

Thin: each endpoint parses, calls one selector or service, and presents the result. Codes
and CI ids in the input are turned into records here (unknown ones answer 422 with the field).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.catalogue.selectors import service_get_for
from steward.cmdb import selectors, services
from steward.cmdb.api_assets import router as assets_router
from steward.cmdb.api_baselines import router as baselines_router
from steward.cmdb.api_transfer import router as transfer_router
from steward.cmdb.impact import Impact, impact_for
from steward.cmdb.models import CiClass, ConfigurationItem
from steward.cmdb.schemas import (
    AttributesIn,
    ChangeOut,
    CiActionIn,
    CiCreateIn,
    CiOut,
    CiUpdateIn,
    ClassCreateIn,
    ClassOut,
    ClassUpdateIn,
    GroupCreateIn,
    GroupMembersIn,
    GroupOut,
    ImpactIn,
    ImpactOut,
    RelationCreateIn,
    RelationOut,
    ReviewIn,
)
from steward.core.errors import ValidationFailed
from steward.core.refs import lookup, resolve
from steward.identity.models import Person, Site, Team

router = Router(tags=["cmdb"])
router.add_router("", transfer_router)
router.add_router("", baselines_router)
router.add_router("", assets_router)


def _refs(data: dict[str, Any]) -> dict[str, Any]:
    """Turn codes and ids of the input into records (keys as the services name them)."""
    lookups: dict[str, tuple[Any, str, str]] = {
        "ci_class": (CiClass, "code", "ci_class"),
        "support_team": (Team, "code__iexact", "support_team"),
        "site": (Site, "code__iexact", "site"),
        "owner_id": (Person, "pk", "owner"),
    }
    return resolve(data, lookups)


def _cis(user: Any, ci_ids: list[str], field: str) -> list[ConfigurationItem]:
    from steward.core.errors import NotFound

    try:
        return selectors.cis_get_for(user=user, ci_ids=ci_ids)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field=field) from None


# -- classes --------------------------------------------------------------------------------


@router.get("/classes", response=list[ClassOut], operation_id="cmdb_classes_list")
def classes_list(request: HttpRequest) -> Any:
    return selectors.class_list_for(user=request.user)


@router.post("/classes", response={201: ClassOut}, operation_id="cmdb_classes_create")
def classes_create(request: HttpRequest, payload: ClassCreateIn) -> Any:
    data = payload.dict(exclude={"attributes", "parent"})
    parent = lookup(CiClass, payload.parent, field="parent", by="code")
    created = services.class_create(
        actor=request.user,
        parent=parent,
        attributes=[a.definition() for a in payload.attributes],
        **data,
    )
    return Status(201, selectors.class_get_for(user=request.user, code=created.code))


@router.get("/classes/{code}", response=ClassOut, operation_id="cmdb_classes_get")
def classes_get(request: HttpRequest, code: str) -> Any:
    return selectors.class_get_for(user=request.user, code=code)


@router.patch("/classes/{code}", response=ClassOut, operation_id="cmdb_classes_update")
def classes_update(request: HttpRequest, code: str, payload: ClassUpdateIn) -> Any:
    ci_class = selectors.class_get_for(user=request.user, code=code)
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes:
        changes["parent"] = lookup(CiClass, changes["parent"], field="parent", by="code")
    services.class_update(actor=request.user, ci_class=ci_class, changes=changes)
    return selectors.class_get_for(user=request.user, code=code)


@router.put(
    "/classes/{code}/attributes", response=ClassOut, operation_id="cmdb_classes_set_attributes"
)
def classes_set_attributes(request: HttpRequest, code: str, payload: AttributesIn) -> Any:
    ci_class = selectors.class_get_for(user=request.user, code=code)
    services.class_set_attributes(
        actor=request.user,
        ci_class=ci_class,
        attributes=[a.definition() for a in payload.attributes],
    )
    return selectors.class_get_for(user=request.user, code=code)


# -- configuration items --------------------------------------------------------------------


@router.get("/cis", response=list[CiOut], operation_id="cmdb_cis_list")
@paginate(CursorPagination, ordering=("id",))
def cis_list(
    request: HttpRequest,
    ci_class: str = "",
    status: str = "",
    site: str = "",
    team: str = "",
    environment: str = "",
    criticality: int | None = None,
    service: str = "",
    group: str = "",
    q: str = "",
) -> Any:
    return selectors.ci_list_for(
        user=request.user,
        ci_class=ci_class,
        status=status,
        site=site,
        team=team,
        environment=environment,
        criticality=criticality,
        service=service,
        group=group,
        q=q,
    )


@router.post("/cis", response={201: CiOut}, operation_id="cmdb_cis_create")
def cis_create(request: HttpRequest, payload: CiCreateIn) -> Any:
    data = _refs(payload.dict(exclude_none=True))
    return Status(201, services.ci_create(actor=request.user, **data))


@router.get("/cis/{ci_id}", response=CiOut, operation_id="cmdb_cis_get")
def cis_get(request: HttpRequest, ci_id: str) -> Any:
    return selectors.ci_get_for(user=request.user, ci_id=ci_id)


@router.patch("/cis/{ci_id}", response=CiOut, operation_id="cmdb_cis_update")
def cis_update(request: HttpRequest, ci_id: str, payload: CiUpdateIn) -> Any:
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    data = payload.dict(exclude_unset=True)
    expected = data.pop("expected_version", None)
    change_number = data.pop("change_number", None)
    return services.ci_update(
        actor=request.user,
        ci=ci,
        changes=_refs(data),
        expected_version=expected,
        change_number=change_number,
    )


def _action(request: HttpRequest, ci_id: str, action: str, payload: CiActionIn) -> Any:
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    return services.ci_transition(
        actor=request.user,
        ci=ci,
        action=action,
        expected_version=payload.expected_version,
        change_number=payload.change_number,
    )


@router.post("/cis/{ci_id}/retire", response=CiOut, operation_id="cmdb_cis_retire")
def cis_retire(request: HttpRequest, ci_id: str, payload: CiActionIn) -> Any:
    return _action(request, ci_id, "retire", payload)


@router.post("/cis/{ci_id}/put-in-use", response=CiOut, operation_id="cmdb_cis_put_in_use")
def cis_put_in_use(request: HttpRequest, ci_id: str, payload: CiActionIn) -> Any:
    return _action(request, ci_id, "put_in_use", payload)


@router.post(
    "/cis/{ci_id}/start-maintenance", response=CiOut, operation_id="cmdb_cis_start_maintenance"
)
def cis_start_maintenance(request: HttpRequest, ci_id: str, payload: CiActionIn) -> Any:
    return _action(request, ci_id, "start_maintenance", payload)


@router.get("/cis/{ci_id}/history", response=list[ChangeOut], operation_id="cmdb_cis_history")
@paginate(CursorPagination, ordering=("-id",))
def cis_history(request: HttpRequest, ci_id: str) -> Any:
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    return selectors.history_for(user=request.user, ci=ci)


@router.post("/services/{code}/ci", response={200: CiOut}, operation_id="cmdb_services_register")
def services_register(request: HttpRequest, code: str) -> Any:
    """Create (or bring up to date) the CI of a catalogue service."""
    service = service_get_for(user=request.user, code=code)
    return services.ci_for_service(actor=request.user, service=service)


# -- relations ------------------------------------------------------------------------------


@router.get(
    "/cis/{ci_id}/relations", response=list[RelationOut], operation_id="cmdb_relations_list"
)
def relations_list(request: HttpRequest, ci_id: str) -> Any:
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    return selectors.relation_list_for(user=request.user, ci=ci)


@router.post(
    "/cis/{ci_id}/relations", response={201: RelationOut}, operation_id="cmdb_relations_add"
)
def relations_add(request: HttpRequest, ci_id: str, payload: RelationCreateIn) -> Any:
    source = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    [target] = _cis(request.user, [payload.target], "target")
    relation = services.relation_add(
        actor=request.user,
        source=source,
        kind=payload.kind,
        target=target,
        note=payload.note,
        change_number=payload.change_number,
    )
    return Status(201, selectors.relation_get_for(user=request.user, relation_id=relation.pk))


@router.delete(
    "/relations/{relation_id}", response={204: None}, operation_id="cmdb_relations_remove"
)
def relations_remove(
    request: HttpRequest, relation_id: int, change_number: str | None = None
) -> Any:
    relation = selectors.relation_get_for(user=request.user, relation_id=relation_id)
    services.relation_remove(actor=request.user, relation=relation, change_number=change_number)
    return Status(204, None)


# -- redundancy groups ----------------------------------------------------------------------


@router.get("/groups", response=list[GroupOut], operation_id="cmdb_groups_list")
@paginate(CursorPagination, ordering=("id",))
def groups_list(request: HttpRequest) -> Any:
    return selectors.group_list_for(user=request.user)


@router.post("/groups", response={201: GroupOut}, operation_id="cmdb_groups_create")
def groups_create(request: HttpRequest, payload: GroupCreateIn) -> Any:
    members = _cis(request.user, payload.members, "members") if payload.members else []
    group = services.group_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        name_en=payload.name_en,
        description=payload.description,
        support_team=lookup(Team, payload.support_team, field="support_team", by="code__iexact"),
        members=members,
        change_number=payload.change_number,
    )
    return Status(201, selectors.group_get_for(user=request.user, code=group.code))


@router.put("/groups/{code}/members", response=GroupOut, operation_id="cmdb_groups_set_members")
def groups_set_members(request: HttpRequest, code: str, payload: GroupMembersIn) -> Any:
    group = selectors.group_get_for(user=request.user, code=code)
    members = _cis(request.user, payload.members, "members") if payload.members else []
    services.group_set_members(
        actor=request.user, group=group, members=members, change_number=payload.change_number
    )
    return selectors.group_get_for(user=request.user, code=code)


# -- history review -------------------------------------------------------------------------


@router.get(
    "/changes/unauthorised", response=list[ChangeOut], operation_id="cmdb_changes_unauthorised"
)
@paginate(CursorPagination, ordering=("-id",))
def changes_unauthorised(request: HttpRequest, reviewed: bool = False) -> Any:
    return selectors.unauthorised_changes_for(user=request.user, reviewed=reviewed)


@router.post("/changes/{change_id}/review", response=ChangeOut, operation_id="cmdb_changes_review")
def changes_review(request: HttpRequest, change_id: int, payload: ReviewIn) -> Any:
    change = selectors.change_get_for(user=request.user, change_id=change_id)
    reviewed = services.change_review(
        actor=request.user, change=change, note=payload.note, change_number=payload.change_number
    )
    return selectors.change_get_for(user=request.user, change_id=reviewed.pk)


# -- impact analysis ------------------------------------------------------------------------


def _brief(ci: ConfigurationItem, **extra: Any) -> SimpleNamespace:
    return SimpleNamespace(
        ci_id=ci.ci_id,
        name=ci.name,
        ci_class=ci.ci_class,
        status=ci.status,
        criticality=ci.criticality,
        site=ci.site,
        **extra,
    )


def _impact_out(impact: Impact) -> dict[str, Any]:
    return {
        "start": [_brief(ci) for ci in impact.start],
        "impacted_count": impact.impacted_count,
        "impacted": [_brief(ci, distance=hops) for ci, hops in impact.impacted],
        "truncated": len(impact.impacted) < impact.impacted_count,
        "services": [
            {
                "code": s.service.code,
                "name": s.service.name,
                "name_en": s.service.name_en,
                "ci_id": s.ci.ci_id,
                "criticality": s.service.criticality,
                "everywhere": s.everywhere,
                "everyone": s.everyone,
                "departments": [d.code for d in s.departments],
                "site_groups": [g.code for g in s.site_groups],
                "sites": [site.code for site in s.sites],
                "people": s.people,
            }
            for s in impact.services
        ],
        "departments": [d.code for d in impact.departments],
        "sites": [site.code for site in impact.sites],
        "people": impact.people,
        "everyone": impact.everyone,
        "surviving_groups": [
            {"code": g.code, "name": g.name, "members_up": [ci.ci_id for ci in members]}
            for g, members in impact.surviving_groups
        ],
        "upstream": [
            _brief(
                ci,
                distance=hops,
                explains=explains,
                redundancy_group=ci.redundancy_group.code if ci.redundancy_group else None,
            )
            for ci, hops, explains in impact.upstream
        ],
    }


@router.post("/impact", response=ImpactOut, operation_id="cmdb_impact")
def impact(request: HttpRequest, payload: ImpactIn) -> Any:
    """What the failure of these CIs takes down, who is affected, and root-cause candidates."""
    return _impact_out(impact_for(user=request.user, ci_ids=payload.ci_ids, limit=payload.limit))


@router.get("/cis/{ci_id}/impact", response=ImpactOut, operation_id="cmdb_cis_impact")
def cis_impact(request: HttpRequest, ci_id: str, limit: int = 200) -> Any:
    return _impact_out(
        impact_for(user=request.user, ci_ids=[ci_id], limit=min(max(limit, 1), 5000))
    )
