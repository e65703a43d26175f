"""Reads of the CMDB, scoped to the user: staff and auditors see everything, requesters
nothing (lists are empty, look-ups answer 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from steward.cmdb import permissions
from steward.cmdb.classtree import class_tree, definitions_of, subclass_ids
from steward.cmdb.models import CiChange, CiClass, ConfigurationItem, RedundancyGroup, Relation
from steward.core.errors import NotFound


def _visible(user: Any) -> bool:
    return permissions.can_view_cmdb(user)


def class_list_for(*, user: Any) -> list[CiClass]:
    """Every class, each with ``effective_attributes`` (inherited ones first) attached."""
    if not _visible(user):
        return []
    classes = list(CiClass.objects.select_related("parent"))
    tree = class_tree()
    for ci_class in classes:
        ci_class.effective_attributes = definitions_of(ci_class, tree)  # type: ignore[attr-defined]
    return classes


def class_get_for(*, user: Any, code: str) -> CiClass:
    found = next((c for c in class_list_for(user=user) if c.code == code), None)
    if found is None:
        raise NotFound(_("No CI class %(code)s.") % {"code": code})
    return found


def ci_list_for(
    *,
    user: Any,
    ci_class: str = "",
    status: str = "",
    site: str = "",
    team: str = "",
    environment: str = "",
    criticality: int | None = None,
    service: str = "",
    group: str = "",
    q: str = "",
) -> QuerySet[ConfigurationItem]:
    """CIs the user may see, filtered. ``ci_class`` includes its subclasses."""
    items = ConfigurationItem.objects.select_related(
        "ci_class", "site", "support_team", "owner", "service", "redundancy_group"
    )
    if not _visible(user):
        return items.none()
    if ci_class:
        tree = class_tree()
        root = next((pk for pk, (code, _p, _a) in tree.items() if code == ci_class), None)
        items = items.filter(ci_class__in=subclass_ids(tree, root) if root else [])
    filters = {
        "status": status,
        "site__code": site,
        "support_team__code": team,
        "environment": environment,
        "criticality": criticality,
        "service__code": service,
        "redundancy_group__code": group,
    }
    items = items.filter(**{k: v for k, v in filters.items() if v not in ("", None)})
    if q.strip():
        text = q.strip()
        items = items.filter(Q(ci_id__iexact=text) | Q(name__icontains=text))
    return items


def ci_get_for(*, user: Any, ci_id: str) -> ConfigurationItem:
    found = ci_list_for(user=user).filter(ci_id=ci_id.upper()).first()
    if found is None:
        raise NotFound(_("No configuration item %(ci)s.") % {"ci": ci_id})
    return found


def cis_get_for(*, user: Any, ci_ids: list[str]) -> list[ConfigurationItem]:
    """The CIs named, in that order; 404 naming the first unknown (or invisible) one."""
    wanted = [ci_id.strip().upper() for ci_id in ci_ids]
    found = {ci.ci_id: ci for ci in ci_list_for(user=user).filter(ci_id__in=wanted)}
    for ci_id in wanted:
        if ci_id not in found:
            raise NotFound(_("No configuration item %(ci)s.") % {"ci": ci_id})
    return [found[ci_id] for ci_id in dict.fromkeys(wanted)]


def relation_list_for(*, user: Any, ci: ConfigurationItem) -> QuerySet[Relation]:
    """Relations with ``ci`` at either end."""
    relations = Relation.objects.select_related(
        "source__ci_class", "target__ci_class", "source__site", "target__site"
    ).filter(Q(source=ci) | Q(target=ci))
    return relations if _visible(user) else relations.none()


def relation_get_for(*, user: Any, relation_id: int) -> Relation:
    found = (
        Relation.objects.select_related("source__ci_class", "target__ci_class")
        .filter(pk=relation_id)
        .first()
    )
    if found is None or not _visible(user):
        raise NotFound(_("No such relation."))
    return found


def group_list_for(*, user: Any) -> QuerySet[RedundancyGroup]:
    groups = RedundancyGroup.objects.select_related("support_team").prefetch_related("members")
    return groups if _visible(user) else groups.none()


def group_get_for(*, user: Any, code: str) -> RedundancyGroup:
    found = group_list_for(user=user).filter(code__iexact=code).first()
    if found is None:
        raise NotFound(_("No redundancy group %(code)s.") % {"code": code})
    return found


def _changes() -> QuerySet[CiChange]:
    return CiChange.objects.select_related("ci", "other_ci", "actor", "reviewed_by")


def history_for(*, user: Any, ci: ConfigurationItem) -> QuerySet[CiChange]:
    """Every change of ``ci`` and of the relations at either of its ends, newest first."""
    changes = _changes().filter(Q(ci=ci) | Q(other_ci=ci))
    return changes if _visible(user) else changes.none()


def unauthorised_changes_for(*, user: Any, reviewed: bool = False) -> QuerySet[CiChange]:
    """Changes made without a change record to CIs of controlled classes."""
    changes = _changes().filter(unauthorised=True, reviewed_at__isnull=not reviewed)
    return changes if _visible(user) else changes.none()


def change_get_for(*, user: Any, change_id: int) -> CiChange:
    found = _changes().filter(pk=change_id).first()
    if found is None or not _visible(user):
        raise NotFound(_("No such change."))
    return found
