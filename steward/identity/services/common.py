"""Shared steps of the identity services: permission check, validation, audited save."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, diff, snapshot
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import permissions

M = TypeVar("M", bound=models.Model)


def require_admin(actor: Any) -> None:
    if not permissions.can_manage_organisation(actor):
        raise NotPermitted(_("Only administrators can change the organisation."))


def validate(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run model validation and turn the first error into ``ValidationFailed(field=...)``."""
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ValidationFailed(
            " ".join(messages), field=None if field == "__all__" else field
        ) from None


def audited_create(obj: M, *, actor: Any, fields: Iterable[str], exclude: Iterable[str] = ()) -> M:
    validate(obj, exclude=exclude)
    obj.save()
    audit_record(actor=actor, obj=obj, action="create", changes=snapshot(obj, fields))
    return obj


def audited_update(obj: M, *, actor: Any, changes: dict[str, Any], allowed: Iterable[str]) -> M:
    """Apply ``changes`` (only ``allowed`` fields), validate, save and audit the difference."""
    apply_changes(obj, actor=actor, changes=changes, allowed=allowed)
    return obj


def apply_changes(
    obj: models.Model,
    *,
    actor: Any,
    changes: dict[str, Any],
    allowed: Iterable[str],
    extra_fields: Iterable[str] = (),
) -> dict[str, list[Any]]:
    """Like ``audited_update`` but return ``{field: [before, after]}`` of what changed.

    ``extra_fields`` are saved along when something changed (e.g. a version counter the caller
    bumped on the instance).
    """
    allowed_set = set(allowed)
    unknown = sorted(set(changes) - allowed_set)
    if unknown:
        raise ValidationFailed(
            _("%(field)s cannot be changed here.") % {"field": unknown[0]}, field=unknown[0]
        )
    before = snapshot(obj, changes)
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        by_id = field.is_relation and not isinstance(value, models.Model)
        setattr(obj, field.attname if by_id else name, value)  # type: ignore[union-attr]
    validate(obj)
    after = snapshot(obj, changes)
    changed = diff(before, after)
    if changed:
        timestamps = ["updated_at"] if hasattr(obj, "updated_at") else []
        obj.save(update_fields=[*changed, *extra_fields, *timestamps])
        audit_record(actor=actor, obj=obj, action="update", changes=changed)
    return changed
