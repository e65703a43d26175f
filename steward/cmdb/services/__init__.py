"""Every write to the CMDB (ISO/IEC 20000-1 8.2.6). See docs/processes/cmdb.md."""

from steward.cmdb.services.classes import class_create, class_set_attributes, class_update
from steward.cmdb.services.groups import group_create, group_set_members
from steward.cmdb.services.items import (
    ci_create,
    ci_for_service,
    ci_retire,
    ci_transition,
    ci_update,
)
from steward.cmdb.services.relations import relation_add, relation_remove
from steward.cmdb.services.reviews import change_review

__all__ = [
    "change_review",
    "ci_create",
    "ci_for_service",
    "ci_retire",
    "ci_transition",
    "ci_update",
    "class_create",
    "class_set_attributes",
    "class_update",
    "group_create",
    "group_set_members",
    "relation_add",
    "relation_remove",
]
