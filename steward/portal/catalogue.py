"""Portal pages of the service catalogue (mobile-first): browse by category, search, and a
service's page, in the person's language, with the promised times.

Promised times are the request item's promised delivery and, for problems reported on the
service, the first-response and resolution targets of the customer SLA that applies to the
person (``sla.promises``: their department, else their site's group, else the SLA for
everyone). A service's page links to reporting a problem on it (``portal.incidents``);
raising catalogue requests comes with a later slice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from steward.catalogue import selectors
from steward.catalogue.models import RequestItem, Service
from steward.portal.access import render_page, signed_in
from steward.portal.forms import CatalogueSearchForm
from steward.sla.promises import IncidentPromise, incident_promises_for


@dataclass(frozen=True)
class ServiceCard:
    service: Service
    items: list[RequestItem]
    promise: IncidentPromise | None


@signed_in
def catalogue(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = selectors.portal_services_for(user=user)
    used = set(visible.values_list("category__code", flat=True))
    categories = [c for c in selectors.portal_categories() if c.code in used]
    form = CatalogueSearchForm(request.GET or None, categories=categories)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    found = list(selectors.portal_services_for(user=user, query=query, category=category))
    promises = incident_promises_for(person=user, services=found)
    browsing = not query and not category
    return render_page(request, "portal/catalogue.html", {
        "form": form,
        "categories": categories,
        "category": category,
        "query": query,
        "cards": [
            ServiceCard(s, getattr(s, "portal_items", []), promises.get(s.pk)) for s in found
        ],
        "popular": selectors.popular_items_for(user=user) if browsing else [],
    }, partial="portal/_catalogue_results.html", section="catalogue")


@signed_in
def service(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.service_get_for(user=request.user, code=code)
    items = list(found.request_items.filter(is_active=True).select_related("current"))
    promise = incident_promises_for(person=request.user, services=[found]).get(found.pk)
    return render_page(request, "portal/service.html", {
        "service": found, "items": items, "promise": promise,
    }, section="catalogue")
