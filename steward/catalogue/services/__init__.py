"""Every write to the service catalogue. See docs/processes/catalogue.md."""

from steward.catalogue.services.items import (
    request_item_create,
    request_item_revise,
    request_item_set_active,
)
from steward.catalogue.services.services import (
    category_create,
    service_create,
    service_set_customers,
    service_set_dependencies,
    service_update,
)

__all__ = [
    "category_create",
    "request_item_create",
    "request_item_revise",
    "request_item_set_active",
    "service_create",
    "service_set_customers",
    "service_set_dependencies",
    "service_update",
]
