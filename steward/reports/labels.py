"""Readable names for group keys (team, engineer, site ... ids), in the active language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from steward.catalogue.models import Service
from steward.identity.models import Department, Person, Site, Team
from steward.incidents.models import IncidentChannel, Priority

_MODELS: dict[str, Any] = {
    "team": Team,
    "engineer": Person,
    "department": Department,
    "site": Site,
    "service": Service,
}


def _named(obj: Any) -> str:
    code = getattr(obj, "code", "")
    name = str(obj)
    return f"{code} {name}" if code and code != name else name


def label_map(by: str, keys: Iterable[Any]) -> dict[Any, str]:
    """Group key → label. A missing key (no team, no engineer ...) reads "(none)"."""
    wanted = set(keys)
    labels: dict[Any, str] = {None: _("All incidents") if by == "total" else _("(none)")}
    model = _MODELS.get(by)
    if model is not None:
        ids = [k for k in wanted if k is not None]
        labels.update({obj.pk: _named(obj) for obj in model.objects.filter(pk__in=ids)})
    elif by == "priority":
        labels.update({k: str(Priority(k).label) for k in wanted if k in Priority.values})
    elif by == "channel":
        labels.update(
            {k: str(IncidentChannel(k).label) for k in wanted if k in IncidentChannel.values}
        )
    return labels
