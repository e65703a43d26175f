"""Models of the CMDB (ISO/IEC 20000-1 8.2.6): CI classes, configuration items, relations,
redundancy groups and field-level history. See steward/cmdb/README.md."""

from steward.cmdb.models.assets import (
    ASSET_TRANSITIONS,
    Asset,
    AssetLifecycle,
    LicenceInstallation,
    Reminder,
    ReminderKind,
    SoftwareLicence,
)
from steward.cmdb.models.baselines import (
    FINDING_TRANSITIONS,
    AuditFinding,
    AuditRun,
    Baseline,
    BaselineItem,
    ConfigurationAudit,
    FindingKind,
    FindingStatus,
)
from steward.cmdb.models.classes import CiClass
from steward.cmdb.models.discovery import CiFact
from steward.cmdb.models.history import ChangeAction, CiChange
from steward.cmdb.models.imports import ImportJob, ImportOutcome, ImportRow, ImportStatus
from steward.cmdb.models.items import (
    CI_TRANSITIONS,
    CiEnvironment,
    CiStatus,
    ConfigurationItem,
    RedundancyGroup,
)
from steward.cmdb.models.relations import (
    DEPENDANT_IS_SOURCE,
    DEPENDANT_IS_TARGET,
    Relation,
    RelationKind,
    impact_ends,
)

__all__ = [
    "ASSET_TRANSITIONS",
    "Asset",
    "AssetLifecycle",
    "LicenceInstallation",
    "Reminder",
    "ReminderKind",
    "SoftwareLicence",
    "FINDING_TRANSITIONS",
    "AuditFinding",
    "AuditRun",
    "Baseline",
    "BaselineItem",
    "ConfigurationAudit",
    "FindingKind",
    "FindingStatus",
    "CI_TRANSITIONS",
    "DEPENDANT_IS_SOURCE",
    "DEPENDANT_IS_TARGET",
    "ChangeAction",
    "CiChange",
    "CiClass",
    "CiFact",
    "CiEnvironment",
    "CiStatus",
    "ConfigurationItem",
    "ImportJob",
    "ImportOutcome",
    "ImportRow",
    "ImportStatus",
    "RedundancyGroup",
    "Relation",
    "RelationKind",
    "impact_ends",
]
