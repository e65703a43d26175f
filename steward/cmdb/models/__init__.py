"""Models of the CMDB (ISO/IEC 20000-1 8.2.6): CI classes, configuration items, relations,
redundancy groups and field-level history. See steward/cmdb/README.md."""

from steward.cmdb.models.classes import CiClass
from steward.cmdb.models.history import ChangeAction, CiChange
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
    "CI_TRANSITIONS",
    "DEPENDANT_IS_SOURCE",
    "DEPENDANT_IS_TARGET",
    "ChangeAction",
    "CiChange",
    "CiClass",
    "CiEnvironment",
    "CiStatus",
    "ConfigurationItem",
    "RedundancyGroup",
    "Relation",
    "RelationKind",
    "impact_ends",
]
