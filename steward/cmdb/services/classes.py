"""CI classes and their attribute definitions: data, edited by administrators."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import attrdef
from steward.cmdb.classtree import Tree, chain_of, class_tree
from steward.cmdb.models import CiClass
from steward.cmdb.services.common import require_class_admin
from steward.core.errors import ValidationFailed
from steward.identity.services.common import apply_changes, audited_create

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
CLASS_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "parent",
    "under_change_control",
    "attributes",
    "is_active",
)


def _class_exists(code: str) -> bool:
    return CiClass.objects.filter(code=code).exists()


def _check_tree(tree: Tree) -> None:
    """Every class's chain: no loop in the parents, no attribute defined twice."""
    for pk in tree:
        seen: set[int] = set()
        current: int | None = pk
        while current is not None:
            if current in seen:
                raise ValidationFailed(_("A class cannot be placed below itself."), field="parent")
            seen.add(current)
            current = tree[current][1]
        attrdef.merge_inherited(chain_of(tree, pk))


def class_create(
    *,
    actor: Any,
    code: str,
    name: str,
    parent: CiClass | None = None,
    attributes: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> CiClass:
    """Add a CI class (optionally below ``parent``). Administrators only.

    Raises ``NotPermitted``; ``ValidationFailed`` for a bad or taken code, bad definitions,
    or an attribute key an ancestor already defines.
    """
    require_class_admin(actor)
    if not _CODE.match(code):
        raise ValidationFailed(
            _("The code must be lower-case letters, digits or _ (at most 32)."), field="code"
        )
    definitions = attrdef.check_definitions(attributes or [], class_exists=_class_exists)
    with transaction.atomic():
        if CiClass.objects.filter(code=code).exists():
            raise ValidationFailed(_("The code %(code)s is taken.") % {"code": code}, field="code")
        tree = class_tree()
        if parent is not None:
            attrdef.merge_inherited([*chain_of(tree, parent.pk), (code, definitions)])
        return audited_create(
            CiClass(code=code, name=name, parent=parent, attributes=definitions, **fields),
            actor=actor,
            fields=CLASS_FIELDS,
        )


def class_update(*, actor: Any, ci_class: CiClass, changes: dict[str, Any]) -> CiClass:
    """Edit a class: names, description, parent, change control, active. Administrators only."""
    require_class_admin(actor)
    with transaction.atomic():
        locked = CiClass.objects.select_for_update(no_key=True, of=("self",)).get(pk=ci_class.pk)
        if "parent" in changes:
            parent = changes["parent"]
            tree = class_tree()
            code, _old, own = tree[locked.pk]
            tree[locked.pk] = (code, parent.pk if parent is not None else None, own)
            try:
                _check_tree(tree)
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, field="parent") from None
        locked.version += 1
        changed = apply_changes(
            locked,
            actor=actor,
            changes=changes,
            allowed=[f for f in CLASS_FIELDS if f not in ("code", "attributes")],
            extra_fields=["version"],
        )
        if not changed:
            locked.version -= 1
        return locked


def class_set_attributes(
    *, actor: Any, ci_class: CiClass, attributes: list[dict[str, Any]]
) -> CiClass:
    """Replace a class's own attribute definitions. Administrators only.

    A key keeps its type for life (remove it and add a new key instead). Existing CIs keep
    their values; each is checked against the new definitions at its next attribute edit,
    and values of removed attributes are dropped then.
    """
    require_class_admin(actor)
    definitions = attrdef.check_definitions(attributes, class_exists=_class_exists)
    with transaction.atomic():
        locked = CiClass.objects.select_for_update(no_key=True, of=("self",)).get(pk=ci_class.pk)
        old_types = {spec["key"]: spec["type"] for spec in locked.attributes}
        for spec in definitions:
            if old_types.get(spec["key"], spec["type"]) != spec["type"]:
                raise ValidationFailed(
                    _("%(key)s is a %(old)s attribute; its type cannot change.")
                    % {"key": spec["key"], "old": old_types[spec["key"]]},
                    field="attributes",
                )
        tree = class_tree()
        code, parent, _own = tree[locked.pk]
        tree[locked.pk] = (code, parent, definitions)
        _check_tree(tree)
        if definitions == locked.attributes:
            return locked
        before = locked.attributes
        locked.attributes = definitions
        locked.version += 1
        locked.save(update_fields=["attributes", "version", "updated_at"])
        audit_record(
            actor=actor, obj=locked, action="update", changes={"attributes": [before, definitions]}
        )
        return locked
