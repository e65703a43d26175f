"""Shared steps of the CMDB services: permission checks, the class tree, attribute cleaning."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from steward.cmdb import attrdef, permissions
from steward.cmdb.classtree import definitions_of, subclass_codes
from steward.cmdb.models import CiClass, ConfigurationItem
from steward.core.errors import NotPermitted
from steward.identity.models import Person


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def require_class_admin(actor: Any) -> None:
    if actor is not None:
        require(
            permissions.can_manage_classes(actor),
            _("Only administrators can change CI classes."),
        )


def require_ci_editor(actor: Any, ci: ConfigurationItem) -> None:
    if actor is not None:
        require(
            permissions.can_edit_ci(actor, ci),
            _("Only administrators and the CI's support team can change %(ci)s.")
            % {"ci": ci.ci_id},
        )


def _reference_ok(ci_id: str, class_code: str) -> bool:
    return ConfigurationItem.objects.filter(
        ci_id=ci_id, ci_class__code__in=subclass_codes(class_code)
    ).exists()


def _person_exists(pk: int) -> bool:
    return Person.objects.filter(pk=pk, is_active=True).exists()


def clean_attributes(ci_class: CiClass, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check attribute values against the class (inherited attributes included)."""
    return attrdef.clean_values(
        definitions_of(ci_class),
        values,
        person_exists=_person_exists,
        reference_ok=_reference_ok,
    )
