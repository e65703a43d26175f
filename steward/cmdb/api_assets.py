"""CMDB API: the asset register, software licences, installations and the compliance report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.cmdb import selectors, services
from steward.cmdb.models import ConfigurationItem
from steward.cmdb.schemas import (
    AssetActionIn,
    AssetCreateIn,
    AssetOut,
    AssetUpdateIn,
    ComplianceOut,
    InstallationIn,
    LicenceCreateIn,
    LicenceOut,
)
from steward.core.errors import NotFound, ValidationFailed

router = Router(tags=["cmdb"])


def _ci(user: Any, ci_id: str | None) -> ConfigurationItem | None:
    if not ci_id:
        return None
    try:
        return selectors.ci_get_for(user=user, ci_id=ci_id)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field="ci") from None


@router.get("/assets", response=list[AssetOut], operation_id="cmdb_assets_list")
@paginate(CursorPagination, ordering=("id",))
def assets_list(request: HttpRequest, lifecycle: str = "") -> Any:
    return selectors.asset_list_for(user=request.user, lifecycle=lifecycle)


@router.post("/assets", response={201: AssetOut}, operation_id="cmdb_assets_create")
def assets_create(request: HttpRequest, payload: AssetCreateIn) -> Any:
    data = payload.dict()
    data["ci"] = _ci(request.user, data.pop("ci"))
    asset = services.asset_create(actor=request.user, **data)
    return Status(201, selectors.asset_get_for(user=request.user, asset_tag=asset.asset_tag))


@router.get("/assets/{asset_tag}", response=AssetOut, operation_id="cmdb_assets_get")
def assets_get(request: HttpRequest, asset_tag: str) -> Any:
    return selectors.asset_get_for(user=request.user, asset_tag=asset_tag)


@router.patch("/assets/{asset_tag}", response=AssetOut, operation_id="cmdb_assets_update")
def assets_update(request: HttpRequest, asset_tag: str, payload: AssetUpdateIn) -> Any:
    asset = selectors.asset_get_for(user=request.user, asset_tag=asset_tag)
    changes = payload.dict(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    if "ci" in changes:
        changes["ci"] = _ci(request.user, changes["ci"])
    services.asset_update(
        actor=request.user, asset=asset, changes=changes, expected_version=expected
    )
    return selectors.asset_get_for(user=request.user, asset_tag=asset_tag)


@router.post("/assets/{asset_tag}/act", response=AssetOut, operation_id="cmdb_assets_act")
def assets_act(request: HttpRequest, asset_tag: str, payload: AssetActionIn) -> Any:
    asset = selectors.asset_get_for(user=request.user, asset_tag=asset_tag)
    services.asset_transition(actor=request.user, asset=asset, action=payload.action)
    return selectors.asset_get_for(user=request.user, asset_tag=asset_tag)


@router.get("/licences", response=list[LicenceOut], operation_id="cmdb_licences_list")
@paginate(CursorPagination, ordering=("id",))
def licences_list(request: HttpRequest) -> Any:
    return selectors.licence_list_for(user=request.user)


@router.post("/licences", response={201: LicenceOut}, operation_id="cmdb_licences_create")
def licences_create(request: HttpRequest, payload: LicenceCreateIn) -> Any:
    licence = services.licence_create(actor=request.user, **payload.dict())
    return Status(201, selectors.licence_get_for(user=request.user, code=licence.code))


@router.get(
    "/licences/compliance", response=list[ComplianceOut], operation_id="cmdb_licences_compliance"
)
def licences_compliance(request: HttpRequest) -> Any:
    """Entitlements against installations per licence; non-compliant first."""
    return selectors.licence_compliance_for(user=request.user)


@router.get("/licences/{code}", response=LicenceOut, operation_id="cmdb_licences_get")
def licences_get(request: HttpRequest, code: str) -> Any:
    return selectors.licence_get_for(user=request.user, code=code)


@router.post(
    "/licences/{code}/installations",
    response={201: LicenceOut},
    operation_id="cmdb_licences_install",
)
def licences_install(request: HttpRequest, code: str, payload: InstallationIn) -> Any:
    licence = selectors.licence_get_for(user=request.user, code=code)
    ci = _ci(request.user, payload.ci)
    assert ci is not None  # noqa: S101 - payload.ci is required and non-empty
    services.licence_install(
        actor=request.user, licence=licence, ci=ci, installed_on=payload.installed_on
    )
    return Status(201, selectors.licence_get_for(user=request.user, code=code))


@router.delete(
    "/licences/{code}/installations/{ci_id}",
    response={204: None},
    operation_id="cmdb_licences_uninstall",
)
def licences_uninstall(request: HttpRequest, code: str, ci_id: str) -> Any:
    licence = selectors.licence_get_for(user=request.user, code=code)
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    installation = selectors.installation_get_for(user=request.user, licence=licence, ci=ci)
    services.licence_uninstall(actor=request.user, installation=installation)
    return Status(204, None)
