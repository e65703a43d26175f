"""Reading the class tree: ancestors, subclasses and the attributes a class's CIs carry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from steward.cmdb import attrdef
from steward.cmdb.models import CiClass

Tree = dict[int, tuple[str, int | None, list[dict[str, Any]]]]


def class_tree() -> Tree:
    """Every class: id → (code, parent id, own definitions). Classes are few."""
    return {
        pk: (code, parent, attributes)
        for pk, code, parent, attributes in CiClass.objects.values_list(
            "pk", "code", "parent_id", "attributes"
        )
    }


def chain_of(tree: Mapping[int, tuple[str, int | None, Any]], class_id: int) -> list[Any]:
    """``[(code, own definitions)]`` from the root class down to ``class_id``."""
    chain = []
    current: int | None = class_id
    while current is not None:
        code, parent, attributes = tree[current]
        chain.append((code, attributes))
        current = parent
    return chain[::-1]


def definitions_of(ci_class: CiClass, tree: Tree | None = None) -> list[dict[str, Any]]:
    """The attribute definitions a CI of ``ci_class`` carries, inherited ones first."""
    return attrdef.merge_inherited(chain_of(tree or class_tree(), ci_class.pk))


def subclass_ids(tree: Tree, class_id: int) -> set[int]:
    """``class_id`` and the ids of every class below it."""
    children: dict[int | None, list[int]] = {}
    for pk, (_code, parent, _attributes) in tree.items():
        children.setdefault(parent, []).append(pk)
    found, pending = {class_id}, [class_id]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def subclass_codes(code: str) -> set[str]:
    """``code`` and the codes of every class below it (empty if no such class)."""
    tree = class_tree()
    by_code = {c: pk for pk, (c, _p, _a) in tree.items()}
    if code not in by_code:
        return set()
    return {tree[pk][0] for pk in subclass_ids(tree, by_code[code])}
