"""Catalogue API: categories, services, request items and their versions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from steward.catalogue import formdef, selectors, services
from steward.catalogue.models import ServiceCategory
from steward.catalogue.schemas import (
    AnswersIn,
    AnswersOut,
    CategoryOut,
    CustomersIn,
    DependenciesIn,
    ItemCreateIn,
    ItemDefinitionIn,
    RequestItemOut,
    ServiceCreateIn,
    ServiceOut,
    ServiceUpdateIn,
)
from steward.core.refs import lookup_many, resolve
from steward.identity.models import Department, Person, SiteGroup, Team

router = Router(tags=["catalogue"])


_REFS: dict[str, tuple[Any, str, str]] = {
    "category": (ServiceCategory, "code", "category"),
    "support_team": (Team, "code", "support_team"),
    "approval_team": (Team, "code", "approval_team"),
    "owner_id": (Person, "pk", "owner"),
}


def _refs(data: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids in the input become records; an unknown one is a field error."""
    return resolve(data, _REFS)


@router.get("/categories", response=list[CategoryOut], operation_id="catalogue_categories")
def categories(request: HttpRequest) -> Any:
    return selectors.portal_categories()


@router.get("/services", response=list[ServiceOut], operation_id="catalogue_services_list")
def services_list(request: HttpRequest, q: str = "", category: str = "") -> Any:
    if q or category:
        return selectors.portal_services_for(user=request.user, query=q, category=category)
    return selectors.service_list_for(user=request.user).prefetch_related(
        "customer_departments", "customer_site_groups", "depends_on", "request_items__current"
    )


@router.post("/services", response={201: ServiceOut}, operation_id="catalogue_services_create")
def services_create(request: HttpRequest, payload: ServiceCreateIn) -> Any:
    return Status(201, services.service_create(actor=request.user, **_refs(payload.dict())))


@router.get("/services/{code}", response=ServiceOut, operation_id="catalogue_services_get")
def services_get(request: HttpRequest, code: str) -> Any:
    return selectors.service_get_for(user=request.user, code=code)


@router.patch("/services/{code}", response=ServiceOut, operation_id="catalogue_services_update")
def services_update(request: HttpRequest, code: str, payload: ServiceUpdateIn) -> Any:
    service = selectors.service_get_for(user=request.user, code=code)
    changes = _refs(payload.dict(exclude_unset=True))
    return services.service_update(actor=request.user, service=service, changes=changes)


@router.put(
    "/services/{code}/dependencies",
    response=ServiceOut,
    operation_id="catalogue_services_dependencies",
)
def services_dependencies(request: HttpRequest, code: str, payload: DependenciesIn) -> Any:
    service = selectors.service_get_for(user=request.user, code=code)
    targets = lookup_many(type(service), payload.depends_on, field="depends_on")
    return services.service_set_dependencies(
        actor=request.user, service=service, depends_on=targets
    )


@router.put(
    "/services/{code}/customers", response=ServiceOut, operation_id="catalogue_services_customers"
)
def services_customers(request: HttpRequest, code: str, payload: CustomersIn) -> Any:
    service = selectors.service_get_for(user=request.user, code=code)
    return services.service_set_customers(
        actor=request.user,
        service=service,
        departments=lookup_many(Department, payload.departments, field="departments"),
        site_groups=lookup_many(SiteGroup, payload.site_groups, field="site_groups"),
    )


@router.post(
    "/services/{code}/items", response={201: RequestItemOut}, operation_id="catalogue_items_create"
)
def items_create(request: HttpRequest, code: str, payload: ItemCreateIn) -> Any:
    service = selectors.service_get_for(user=request.user, code=code)
    data = _refs(payload.dict(exclude_none=True))
    return Status(201, services.request_item_create(actor=request.user, service=service, **data))


@router.get("/items/{code}", response=RequestItemOut, operation_id="catalogue_items_get")
def items_get(request: HttpRequest, code: str) -> Any:
    return selectors.request_item_get_for(user=request.user, code=code)


@router.post(
    "/items/{code}/revisions", response=RequestItemOut, operation_id="catalogue_items_revise"
)
def items_revise(request: HttpRequest, code: str, payload: ItemDefinitionIn) -> Any:
    item = selectors.request_item_get_for(user=request.user, code=code)
    changes = _refs(payload.dict(exclude_unset=True))
    return services.request_item_revise(actor=request.user, item=item, changes=changes)


@router.post("/items/{code}/check", response=AnswersOut, operation_id="catalogue_items_check")
def items_check(request: HttpRequest, code: str, payload: AnswersIn) -> Any:
    """Check answers against the item's current form without raising anything."""
    item = selectors.request_item_get_for(user=request.user, code=code)
    assert item.current is not None
    cleaned = formdef.clean_answers(
        item.current.form,
        payload.answers,
        person_exists=lambda value: Person.objects.filter(pk=value, is_active=True).exists(),
    )
    return {"version": item.current.number, "cleaned": cleaned}
