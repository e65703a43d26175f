"""Turn the codes and ids an API input names into records, or into a field error (422)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from steward.core.errors import ValidationFailed

M = TypeVar("M", bound=models.Model)


def one(records: models.QuerySet[M]) -> M | None:
    """The record of ``records`` filtered on a unique key, or None. Unlike ``first()`` it
    builds no ORDER BY (from the model's default ordering or the primary key): these look-ups
    run on every request (a token, a requester, a service)."""
    return next(iter(records.order_by()[:1]), None)


def lookup(model: type[models.Model], value: Any, *, field: str, by: str = "pk") -> Any:
    """The record of ``model`` whose ``by`` equals ``value`` (None stays None)."""
    if value is None:
        return None
    found = model._default_manager.filter(**{by: value}).first()
    if found is None:
        raise ValidationFailed(
            _("%(name)s: no such record %(value)s") % {"name": field, "value": value}, field=field
        )
    return found


def lookup_many(
    model: type[models.Model], values: Iterable[Any], *, field: str, by: str = "code"
) -> list[Any]:
    """The records for ``values``, in their order; the first unknown one is a field error."""
    wanted = list(values)
    found = {getattr(o, by): o for o in model._default_manager.filter(**{f"{by}__in": wanted})}
    missing = [v for v in wanted if v not in found]
    if missing:
        raise ValidationFailed(
            _("%(name)s: no such record %(value)s") % {"name": field, "value": missing[0]},
            field=field,
        )
    return [found[v] for v in wanted]


def resolve(
    data: Mapping[str, Any], lookups: Mapping[str, tuple[type[models.Model], str, str]]
) -> dict[str, Any]:
    """Copy ``data``, replacing each key of ``lookups`` (``key: (model, by, name)``) by the
    record it names, stored under ``name``."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key in lookups:
            model, by, name = lookups[key]
            result[name] = lookup(model, value, field=key, by=by)
        else:
            result[key] = value
    return result
