"""Models of incident management. See docs/processes/incidents.md."""

from steward.incidents.models.comment import Comment, CommentVisibility
from steward.incidents.models.config import IncidentPolicy, NumberSequence, PriorityRule
from steward.incidents.models.incident import (
    OPEN_STATUSES,
    STATUS_COLOURS,
    TERMINAL_STATUSES,
    TRANSITIONS,
    HoldReason,
    Impact,
    Incident,
    IncidentChannel,
    IncidentQuerySet,
    IncidentStatus,
    Priority,
    ResolutionCode,
    Urgency,
)
from steward.incidents.models.links import IncidentLink, LinkKind
from steward.incidents.models.major import (
    Audience,
    CommsChannel,
    CommsEntry,
    MajorCriterion,
    MajorIncident,
    MajorIncidentPolicy,
    MajorReview,
    ReviewAction,
)
from steward.incidents.models.routing import (
    ESCALATIONS,
    AssignmentStrategy,
    Escalation,
    EscalationKind,
    MemberAvailability,
    RoutingRule,
    TeamAssignment,
)
from steward.incidents.models.triage import IncidentTriage
from steward.incidents.models.views import SavedView

__all__ = [
    "ESCALATIONS",
    "AssignmentStrategy",
    "Escalation",
    "EscalationKind",
    "MemberAvailability",
    "RoutingRule",
    "TeamAssignment",
    "Audience",
    "CommsChannel",
    "CommsEntry",
    "IncidentLink",
    "LinkKind",
    "MajorCriterion",
    "MajorIncident",
    "MajorIncidentPolicy",
    "MajorReview",
    "ReviewAction",
    "IncidentTriage",
    "SavedView",
    "OPEN_STATUSES",
    "STATUS_COLOURS",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "Comment",
    "CommentVisibility",
    "HoldReason",
    "Impact",
    "Incident",
    "IncidentChannel",
    "IncidentPolicy",
    "IncidentQuerySet",
    "IncidentStatus",
    "NumberSequence",
    "Priority",
    "PriorityRule",
    "ResolutionCode",
    "Urgency",
]
