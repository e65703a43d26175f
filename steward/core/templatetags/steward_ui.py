"""Template helpers shared by the console and the portal: generic record fields and audit
changes in a readable form. Presentation only: no queries beyond the object's own fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Verbs that services record in the audit trail, with labels for people. An action missing
# here is shown as recorded (services add new verbs over time).
ACTION_LABELS: dict[str, Promise] = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "roles": _("roles changed"),
    "members": _("members changed"),
    "locked": _("account locked"),
    "unlocked": _("account unlocked"),
    "password_changed": _("password changed"),
    "revoke": _("revoked"),
    "attachment_added": _("attachment added"),
    "time_logged": _("time logged"),
    "time_changed": _("time entry changed"),
    "time_deleted": _("time entry deleted"),
}

_ALWAYS_HIDDEN = frozenset({"id", "version"})


@dataclass(frozen=True)
class FieldRow:
    label: str | Promise
    value: Any
    kind: str  # "text", "datetime", "bool", "empty"


@dataclass(frozen=True)
class ChangeRow:
    label: str | Promise
    before: Any
    after: Any
    is_change: bool  # a [before, after] pair rather than a created value


@register.filter
def action_label(action: str) -> str | Promise:
    return ACTION_LABELS.get(action, action.replace("_", " "))


def _label(model: type[models.Model] | None, name: str) -> str | Promise:
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            verbose = getattr(field, "verbose_name", None)
            if verbose:
                return verbose  # type: ignore[no-any-return]
    return name.replace("_", " ")


@register.simple_tag
def field_rows(obj: models.Model, exclude: str = "") -> list[FieldRow]:
    """The concrete fields of ``obj`` as label/value rows, in declaration order.

    ``exclude`` is a comma-separated list of field names the page shows elsewhere.
    Relations are shown by their string form; load them with ``select_related``.
    """
    skipped = _ALWAYS_HIDDEN | {name.strip() for name in exclude.split(",") if name.strip()}
    rows: list[FieldRow] = []
    for field in obj._meta.concrete_fields:
        if field.name in skipped:
            continue
        if field.choices:
            value: Any = getattr(obj, f"get_{field.name}_display")()
        elif field.is_relation:
            value = getattr(obj, field.name)
        else:
            value = getattr(obj, field.attname)
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, dt.datetime):
            kind = "datetime"
        elif value is None or value == "":
            kind = "empty"
        else:
            kind = "text"
        rows.append(FieldRow(label=field.verbose_name, value=value, kind=kind))
    return rows


@register.filter
def change_rows(changes: Any, obj: Any = None) -> list[ChangeRow]:
    """Audit ``changes`` as rows: ``{field: [before, after]}`` pairs or created values."""
    if not isinstance(changes, dict):
        return []
    model = obj if isinstance(obj, type) else type(obj) if isinstance(obj, models.Model) else None
    rows = []
    for name, value in changes.items():
        pair = isinstance(value, list) and len(value) == 2
        rows.append(
            ChangeRow(
                label=_label(model, name),
                before=value[0] if pair else None,
                after=value[1] if pair else value,
                is_change=pair,
            )
        )
    return rows


@register.filter
def audit_value(value: Any) -> str:
    """A recorded value as short text: lists joined, nothing shown as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple):
        return ", ".join(audit_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {audit_value(v)}" for k, v in value.items())
    return str(value)
