"""Every write to the CMDB (ISO/IEC 20000-1 8.2.6). See docs/processes/cmdb.md."""

from steward.cmdb.services.assets import (
    asset_create,
    asset_transition,
    asset_update,
    licence_create,
    licence_install,
    licence_uninstall,
    licence_update,
    reminders_send,
)
from steward.cmdb.services.audits import (
    audit_create,
    audit_run,
    audit_run_now,
    audits_due,
    finding_act,
)
from steward.cmdb.services.baselines import baseline_create
from steward.cmdb.services.classes import class_create, class_set_attributes, class_update
from steward.cmdb.services.discovery import discovery_submit
from steward.cmdb.services.groups import group_create, group_set_members
from steward.cmdb.services.imports import import_apply, import_create, import_run
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
    "asset_create",
    "asset_transition",
    "asset_update",
    "licence_create",
    "licence_install",
    "licence_uninstall",
    "licence_update",
    "reminders_send",
    "audit_create",
    "audit_run",
    "audit_run_now",
    "audits_due",
    "baseline_create",
    "finding_act",
    "change_review",
    "ci_create",
    "ci_for_service",
    "ci_retire",
    "ci_transition",
    "ci_update",
    "class_create",
    "class_set_attributes",
    "class_update",
    "discovery_submit",
    "group_create",
    "group_set_members",
    "import_apply",
    "import_create",
    "import_run",
    "relation_add",
    "relation_remove",
]
