"""Snapshots of CIs and their comparison (pure over snapshots; one read to take them).

A snapshot is a JSON-ready dict of a CI's fields (codes for references), its attribute
values as ``attributes.<key>`` and its outgoing relations as ``relations.<kind>`` (sorted
target CI ids), so a comparison lists exactly the fields the CI history names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from steward.cmdb.models import ConfigurationItem, Relation

_CODES = {"ci_class": "code", "site": "code", "support_team": "code", "owner": "username"}
_PLAIN = ("name", "status", "criticality", "environment", "description")


def snapshots(cis: Iterable[ConfigurationItem]) -> dict[str, dict[str, Any]]:
    """``{ci_id: snapshot}`` of the given CIs (select_related the references first)."""
    items = list(cis)
    relations: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for source_id, kind, target in Relation.objects.filter(
        source__in=[ci.pk for ci in items]
    ).values_list("source_id", "kind", "target__ci_id"):
        relations[source_id][kind].append(target)
    result = {}
    for ci in items:
        snap: dict[str, Any] = {name: getattr(ci, name) for name in _PLAIN}
        for name, code in _CODES.items():
            related = getattr(ci, name)
            snap[name] = None if related is None else getattr(related, code)
        snap |= {f"attributes.{k}": v for k, v in ci.attributes.items()}
        snap |= {f"relations.{k}": sorted(v) for k, v in relations[ci.pk].items()}
        result[ci.ci_id] = snap
    return result


@dataclass
class Comparison:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


def compare(
    left: Mapping[str, Mapping[str, Any]], right: Mapping[str, Mapping[str, Any]]
) -> Comparison:
    """What changed from ``left`` to ``right``: CIs added, removed, and per CI each field
    ``(ci_id, field, before, after)``, sorted."""
    result = Comparison(
        added=sorted(set(right) - set(left)), removed=sorted(set(left) - set(right))
    )
    for ci_id in sorted(set(left) & set(right)):
        before, after = left[ci_id], right[ci_id]
        for name in sorted(set(before) | set(after)):
            if before.get(name) != after.get(name):
                result.changed.append((ci_id, name, before.get(name), after.get(name)))
    return result


SCOPE_KEYS = ("ci_class", "site", "team", "status", "environment", "ci_ids")


def scope_items(scope: Mapping[str, Any]) -> Any:
    """The CIs a baseline or audit scope names: a class (with its subclasses), a site code,
    a support team code, a status, an environment, and/or a list of CI ids. Retired CIs are
    left out unless the scope asks for that status."""
    from steward.cmdb.classtree import class_tree, subclass_ids

    items = ConfigurationItem.objects.select_related("ci_class", "site", "support_team", "owner")
    if scope.get("ci_class"):
        tree = class_tree()
        root = next((pk for pk, (code, _p, _a) in tree.items() if code == scope["ci_class"]), None)
        items = items.filter(ci_class__in=subclass_ids(tree, root) if root else [])
    filters = {
        "site__code__iexact": scope.get("site"),
        "support_team__code__iexact": scope.get("team"),
        "environment": scope.get("environment"),
        "ci_id__in": scope.get("ci_ids"),
    }
    items = items.filter(**{k: v for k, v in filters.items() if v})
    if scope.get("status"):
        return items.filter(status=scope["status"])
    return items.exclude(status="retired")
