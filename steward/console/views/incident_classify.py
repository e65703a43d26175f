"""Classification on the console incident page: the configuration item (with the impact hint
of what its failure takes down) and moving the incident to another service.

The forms run through ``incidents.incident_act`` like the other actions (``FORMS``,
``RUNNERS``); this module builds them and the page's classification context.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from steward.catalogue.models import ServiceLifecycle
from steward.catalogue.selectors import service_list_for
from steward.incidents import permissions, selectors_impact, services
from steward.incidents.forms_classify import CiForm, ReclassifyForm
from steward.incidents.models import Incident
from steward.incidents.services.classify import ci_from_id

ACTIONS = ("ci", "reclassify")
SUMMARIES: dict[str, tuple[str | Promise, str | Promise]] = {
    "ci": (gettext_lazy("Configuration item"), gettext_lazy("Save the configuration item")),
    "reclassify": (gettext_lazy("Change the service"), gettext_lazy("Change the service")),
}
DONE: dict[str, str | Promise] = {
    "ci": gettext_lazy("The configuration item was saved."),
    "reclassify": gettext_lazy("The service was changed; the SLA clocks follow it."),
}


def offered(user: Any, incident: Incident) -> list[str]:
    """The classification forms ``user`` gets on the page."""
    if not incident.is_open:
        return []
    names = []
    if "ci" in permissions.fields_editable_by(user, incident):
        names.append("ci")
    if permissions.can_reclassify(user, incident):
        names.append("reclassify")
    return names


def form_for(name: str, incident: Incident, user: Any, data: Any = None) -> forms.Form:
    if name == "ci":
        ci_id = incident.ci.ci_id if incident.ci is not None else ""
        return CiForm(data, prefix=name, initial={"version": incident.version, "ci_id": ci_id})
    choices = [
        (s.pk, f"{s.code} {s.display_name()}")
        for s in service_list_for(user=user)
        .exclude(lifecycle=ServiceLifecycle.RETIRED)
        .exclude(pk=incident.service_id or 0)
        .order_by("code")
    ]
    return ReclassifyForm(data, prefix=name, services=choices,
                          initial={"version": incident.version})


def _ci(actor: Any, incident: Incident, data: dict[str, Any]) -> Any:
    return services.incident_update(actor=actor, incident=incident, version=data["version"],
                                    changes={"ci": ci_from_id(data["ci_id"])})


def _reclassify(actor: Any, incident: Incident, data: dict[str, Any]) -> Any:
    from steward.incidents.selectors import references_resolve

    refs = references_resolve(service_id=data["service_id"])
    return services.incident_reclassify(actor=actor, incident=incident,
                                        service=refs.get("service"), reason=data["reason"],
                                        version=data["version"])


RUNNERS = {"ci": _ci, "reclassify": _reclassify}


def classify_context(user: Any, incident: Incident) -> dict[str, Any]:
    """The impact hint of the incident's CI (None without one, or for non-CMDB readers)."""
    return {"impact_hint": selectors_impact.incident_impact_hint(user=user, incident=incident)}
