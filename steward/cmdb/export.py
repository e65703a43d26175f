"""Export of CIs to CSV or XLSX, in the columns an import maps (so an export re-imports with
the identity mapping and ``match_on=["ci_id"]``). Read-only: it goes through the selectors."""

from __future__ import annotations

from typing import Any

from steward.cmdb import selectors, tabular
from steward.cmdb.importer import ATTRIBUTE_PREFIX, is_target
from steward.cmdb.models import ConfigurationItem
from steward.core.errors import ValidationFailed

DEFAULT_COLUMNS = [
    "ci_id",
    "name",
    "ci_class",
    "status",
    "site",
    "support_team",
    "owner",
    "criticality",
    "environment",
    "description",
]
_CODES = {"ci_class": "code", "site": "code", "support_team": "code", "owner": "username"}


def _cell(ci: ConfigurationItem, column: str) -> Any:
    if column.startswith(ATTRIBUTE_PREFIX):
        return ci.attributes.get(column.removeprefix(ATTRIBUTE_PREFIX))
    if column in _CODES:
        related = getattr(ci, column)
        return None if related is None else getattr(related, _CODES[column])
    return getattr(ci, column)


def ci_export(
    *, user: Any, file_format: str, columns: list[str] | None = None, **filters: Any
) -> bytes:
    """The CIs the user may see (``filters`` as ``selectors.ci_list_for``), one per row.

    Without ``columns``: the standard fields, then every attribute any exported CI has.
    Raises ``ValidationFailed`` for an unknown column or format.
    """
    if file_format not in tabular.FORMATS:
        raise ValidationFailed(f"format: {file_format}", field="format")
    bad = [c for c in columns or [] if not is_target(c)]
    if bad:
        raise ValidationFailed(f"column: {bad[0]}", field="columns")
    items = list(selectors.ci_list_for(user=user, **filters).order_by("id"))
    if not columns:
        keys = sorted({key for ci in items for key in ci.attributes})
        columns = [*DEFAULT_COLUMNS, *(f"{ATTRIBUTE_PREFIX}{k}" for k in keys)]
    rows = ([_cell(ci, c) for c in columns] for ci in items)
    return tabular.write(columns, rows, file_format=file_format)
