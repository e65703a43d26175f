"""Each action of the transition table called with valid arguments, for parametrized tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from steward.incidents import services
from steward.incidents.models import Incident

Call = Callable[[Any, Incident, Any], Incident]

CALLS: dict[str, Call] = {
    "assign": lambda actor, incident, agent: services.incident_assign(
        actor=actor, incident=incident, assignee=agent
    ),
    "start": lambda actor, incident, agent: services.incident_start(actor=actor, incident=incident),
    "hold": lambda actor, incident, agent: services.incident_hold(
        actor=actor, incident=incident, reason="awaiting_vendor"
    ),
    "resume": lambda actor, incident, agent: services.incident_resume(
        actor=actor, incident=incident
    ),
    "resolve": lambda actor, incident, agent: services.incident_resolve(
        actor=actor,
        incident=incident,
        resolution_code="solution_provided",
        resolution_note="更换电源后恢复。",
    ),
    "reopen": lambda actor, incident, agent: services.incident_reopen(
        actor=actor, incident=incident, reason="又坏了"
    ),
    "close": lambda actor, incident, agent: services.incident_close(actor=actor, incident=incident),
    "cancel": lambda actor, incident, agent: services.incident_cancel(
        actor=actor, incident=incident, reason="重复报告"
    ),
}
# A status each action is allowed from, to build the incident a permission test needs.
SOURCE = {
    "assign": "new",
    "start": "new",
    "hold": "in_progress",
    "resume": "on_hold",
    "resolve": "in_progress",
    "reopen": "resolved",
    "close": "resolved",
    "cancel": "new",
}
