"""API endpoints of the organisation model: thin, calling selectors and services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import CursorPagination, paginate

from steward.core.refs import resolve
from steward.identity import selectors, services
from steward.identity.models import Department, Person, Site
from steward.identity.schemas import (
    DepartmentOut,
    PersonCreateIn,
    PersonOut,
    PersonUpdateIn,
    RolesIn,
    SiteOut,
    TeamOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)

router = Router(tags=["organisation"])


def _me(request: HttpRequest) -> Person:
    """The authenticated person (the API's auth guarantees one)."""
    assert isinstance(request.user, Person)
    return request.user


def _resolve_refs(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``*_id`` inputs into the related records, answering 422 for unknown ids."""
    return resolve(
        data,
        {
            "department_id": (Department, "pk", "department"),
            "site_id": (Site, "pk", "site"),
            "manager_id": (Person, "pk", "manager"),
        },
    )


@router.get("/me", response=PersonOut, operation_id="me_get")
def me_get(request: HttpRequest) -> Any:
    return selectors.person_get_for(user=request.user, person_id=_me(request).pk)


@router.patch("/me", response=PersonOut, operation_id="me_update")
def me_update(request: HttpRequest, payload: PersonUpdateIn) -> Any:
    changes = _resolve_refs(payload.dict(exclude_unset=True))
    return services.person_update(actor=request.user, person=_me(request), changes=changes)


@router.get("/people", response=list[PersonOut], operation_id="people_list")
@paginate(CursorPagination, ordering=("id",))
def people_list(request: HttpRequest, q: str = "") -> Any:
    return selectors.person_list_for(user=request.user, query=q)


@router.post("/people", response={201: PersonOut}, operation_id="people_create")
def people_create(request: HttpRequest, payload: PersonCreateIn) -> Any:
    data = _resolve_refs(payload.dict())
    person = services.person_create(actor=request.user, **data)
    return Status(201, person)


@router.get("/people/{person_id}", response=PersonOut, operation_id="people_get")
def people_get(request: HttpRequest, person_id: int) -> Any:
    return selectors.person_get_for(user=request.user, person_id=person_id)


@router.patch("/people/{person_id}", response=PersonOut, operation_id="people_update")
def people_update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    person = selectors.person_get_for(user=request.user, person_id=person_id)
    changes = _resolve_refs(payload.dict(exclude_unset=True))
    return services.person_update(actor=request.user, person=person, changes=changes)


@router.put("/people/{person_id}/roles", response=PersonOut, operation_id="people_set_roles")
def people_set_roles(request: HttpRequest, person_id: int, payload: RolesIn) -> Any:
    person = selectors.person_get_for(user=request.user, person_id=person_id)
    return services.person_set_roles(actor=request.user, person=person, roles=payload.roles)


@router.post("/people/{person_id}/deactivate", response=PersonOut, operation_id="people_deactivate")
def people_deactivate(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_get_for(user=request.user, person_id=person_id)
    return services.person_deactivate(actor=request.user, person=person)


@router.post("/people/{person_id}/unlock", response=PersonOut, operation_id="people_unlock")
def people_unlock(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_get_for(user=request.user, person_id=person_id)
    return services.person_unlock(actor=request.user, person=person)


@router.get("/teams", response=list[TeamOut], operation_id="teams_list")
@paginate(CursorPagination, ordering=("id",))
def teams_list(request: HttpRequest) -> Any:
    return selectors.team_list_for(user=request.user)


@router.get("/teams/{team_id}", response=TeamOut, operation_id="teams_get")
def teams_get(request: HttpRequest, team_id: int) -> Any:
    return selectors.team_get_for(user=request.user, team_id=team_id)


@router.get("/departments", response=list[DepartmentOut], operation_id="departments_list")
@paginate(CursorPagination, ordering=("id",))
def departments_list(request: HttpRequest) -> Any:
    return selectors.department_list_for(user=request.user)


@router.get("/sites", response=list[SiteOut], operation_id="sites_list")
@paginate(CursorPagination, ordering=("id",))
def sites_list(request: HttpRequest, region: str = "") -> Any:
    return selectors.site_list_for(user=request.user, region=region)


@router.get("/tokens", response=list[TokenOut], operation_id="tokens_list")
def tokens_list(request: HttpRequest) -> Any:
    return selectors.token_list_for(user=request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, operation_id="tokens_create")
def tokens_create(request: HttpRequest, payload: TokenCreateIn) -> Any:
    token, secret = services.token_create(
        actor=_me(request), name=payload.name, scope=payload.scope, expires_at=payload.expires_at
    )
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, operation_id="tokens_revoke")
def tokens_revoke(request: HttpRequest, token_id: int) -> Any:
    token = selectors.token_get_for(user=request.user, token_id=token_id)
    return services.token_revoke(actor=request.user, token=token)
