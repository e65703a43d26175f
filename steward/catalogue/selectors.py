"""Reads of the catalogue: what a person may see in the portal, and the console lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from steward.catalogue.models import (
    RequestItem,
    Service,
    ServiceCategory,
    ServiceLifecycle,
    ServiceVisibility,
)
from steward.core.errors import NotFound
from steward.identity import permissions


def _customer_filter(user: Any) -> Q:
    """Services with no named customers serve everyone; others only their customers."""
    department_ids: set[int] = set()
    department = getattr(user, "department", None)
    while department is not None:
        department_ids.add(department.pk)
        department = department.parent
    unrestricted = Q(customer_departments__isnull=True, customer_site_groups__isnull=True)
    mine = Q(customer_departments__in=department_ids)
    if getattr(user, "site_id", None):
        mine |= Q(customer_site_groups__sites=user.site_id)
    return unrestricted | mine


def portal_services_for(*, user: Any, query: str = "", category: str = "") -> QuerySet[Service]:
    """Live services published to the portal for this person, with their active items."""
    services = Service.objects.filter(
        lifecycle=ServiceLifecycle.LIVE, visibility=ServiceVisibility.PORTAL
    )
    if not permissions.is_staff_member(user):
        services = services.filter(_customer_filter(user))
    if category:
        services = services.filter(category__code=category)
    if query.strip():
        text = query.strip()
        services = services.filter(
            Q(name__icontains=text)
            | Q(name_en__icontains=text)
            | Q(keywords__icontains=text)
            | Q(description__icontains=text)
            | Q(description_en__icontains=text)
            | Q(request_items__current__name__icontains=text)
            | Q(request_items__current__name_en__icontains=text)
        )
    items = RequestItem.objects.filter(is_active=True).select_related("current")
    return (
        services.distinct()
        .select_related("category", "support_team")
        .prefetch_related(Prefetch("request_items", queryset=items, to_attr="portal_items"))
        .order_by("category__position", "code")
    )


def portal_categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.all()


def popular_items_for(*, user: Any, limit: int = 6) -> list[RequestItem]:
    services = portal_services_for(user=user)
    return list(
        RequestItem.objects.filter(is_active=True, service__in=services)
        .select_related("current", "service")
        .order_by("-request_count", "code")[:limit]
    )


def service_list_for(*, user: Any) -> QuerySet[Service]:
    """The full catalogue for staff; requesters see what the portal shows them."""
    if permissions.is_staff_member(user):
        return Service.objects.select_related("category", "owner", "support_team")
    return portal_services_for(user=user)


def service_get_for(*, user: Any, code: str) -> Service:
    service = service_list_for(user=user).filter(code__iexact=code).first()
    if service is None:
        raise NotFound(_("No service %(code)s.") % {"code": code})
    return service


def request_item_get_for(*, user: Any, code: str) -> RequestItem:
    item = (
        RequestItem.objects.filter(code__iexact=code, service__in=service_list_for(user=user))
        .select_related("current", "service")
        .first()
    )
    if item is None or (not item.is_active and not permissions.is_staff_member(user)):
        raise NotFound(_("No request item %(code)s.") % {"code": code})
    return item
