"""Reads of the CMDB, scoped to the user: staff and auditors see everything, requesters
nothing (lists are empty, look-ups answer 404)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from steward.cmdb import permissions
from steward.cmdb.baselines import Comparison, compare, scope_items, snapshots
from steward.cmdb.classtree import class_tree, definitions_of, subclass_ids
from steward.cmdb.graph import RETIRED
from steward.cmdb.index import graph_index
from steward.cmdb.models import (
    Asset,
    AuditFinding,
    Baseline,
    CiChange,
    CiClass,
    CiFact,
    CiStatus,
    ConfigurationAudit,
    ConfigurationItem,
    ImportJob,
    ImportRow,
    LicenceInstallation,
    RedundancyGroup,
    Relation,
    SoftwareLicence,
)
from steward.core.errors import NotFound


def _visible(user: Any) -> bool:
    return permissions.can_view_cmdb(user)


def cis_at_hand_for(
    *, person: Any, service: Any = None, limit: int = 50
) -> list[ConfigurationItem]:
    """The configuration items a requester may name when reporting a problem, without a right
    to the CMDB: in use or in maintenance, at their own site or owned by them (what is at
    hand: the store's tills and router, their laptop). When the problem is about a service
    that is in the CMDB, only the items that service depends on, directly or not.

    Ordered by class and name; at most ``limit``. Service CIs themselves are left out.
    """
    here = Q(owner_id=person.pk)
    if getattr(person, "site_id", None) is not None:
        here |= Q(site_id=person.site_id)
    items = list(
        ConfigurationItem.objects.filter(
            here, status__in=(CiStatus.IN_USE, CiStatus.MAINTENANCE), service__isnull=True
        )
        .select_related("ci_class")
        .order_by("ci_class__name", "name", "pk")[: limit * 4]
    )
    target = (
        ConfigurationItem.objects.filter(service=service).values_list("pk", flat=True).first()
        if service is not None
        else None
    )
    if target is not None:
        index = graph_index()
        with index.lock:
            items = [ci for ci in items if _serves(index, ci.pk, target)]
    return items[:limit]


def _serves(index: Any, start: int, target: int, max_hops: int = 8) -> bool:
    """Whether impact flows from ``start`` to ``target`` along the graph's edges (retired
    CIs pass nothing on)."""
    seen, frontier = {start}, [start]
    for _hop in range(max_hops):
        following = []
        for ci in frontier:
            for dependant in index.out.get(ci, ()):
                if dependant == target:
                    return True
                node = index.nodes_by_id.get(dependant)
                if dependant not in seen and node is not None and node.status != RETIRED:
                    seen.add(dependant)
                    following.append(dependant)
        if not following:
            return False
        frontier = following
    return False


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
    if q.strip():
        items = items.alias(attributes_text=Cast("attributes", TextField()))
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
        items = items.filter(_search(q.strip()))
    return items


_ATTRIBUTE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _search(text: str) -> Q:
    """``key=value`` matches one attribute exactly; other text the CI id, a part of the
    name, or a part of any attribute value (serial numbers, addresses)."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if sep and _ATTRIBUTE_KEY.match(key) and value:
        exact = Q(**{f"attributes__{key}": value})
        if value.lstrip("-").isdigit():
            exact |= Q(**{f"attributes__{key}": int(value)})
        return exact
    return (
        Q(ci_id__iexact=text)
        | Q(name__icontains=text)
        | Q(attributes_text__icontains=text)
    )


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


def import_get_for(*, user: Any, job_id: int) -> ImportJob:
    found = (
        ImportJob.objects.select_related("default_class", "created_by")
        .defer("content")
        .filter(pk=job_id)
        .first()
    )
    if found is None or not _visible(user):
        raise NotFound(_("No such import."))
    return found


def import_list_for(*, user: Any) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.select_related("default_class", "created_by").defer("content")
    return jobs if _visible(user) else jobs.none()


def import_rows_for(*, user: Any, job: ImportJob, outcome: str = "") -> QuerySet[ImportRow]:
    """The created, updated and rejected rows of an import, in file order."""
    rows = ImportRow.objects.select_related("ci").filter(job=job).order_by("row", "id")
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows if _visible(user) else rows.none()


def facts_for(*, user: Any, ci: ConfigurationItem) -> QuerySet[CiFact]:
    """The discovered values of a CI: field, value, source and when observed."""
    facts = CiFact.objects.filter(ci=ci).order_by("field", "source")
    return facts if _visible(user) else facts.none()


def baseline_list_for(*, user: Any) -> QuerySet[Baseline]:
    baselines = Baseline.objects.annotate(item_count=Count("items"))
    return baselines if _visible(user) else baselines.none()


def baseline_get_for(*, user: Any, code: str) -> Baseline:
    found = baseline_list_for(user=user).filter(code__iexact=code).first()
    if found is None:
        raise NotFound(_("No baseline %(code)s.") % {"code": code})
    return found


def baseline_compare(*, user: Any, left: Baseline, right: Baseline | None) -> Comparison:
    """``left`` against ``right``, or against the CIs of ``left``'s scope as they are now."""
    before = {i.ci.ci_id: i.snapshot for i in left.items.select_related("ci")}
    if right is not None:
        after = {i.ci.ci_id: i.snapshot for i in right.items.select_related("ci")}
    else:
        after = snapshots(scope_items(left.scope)) if _visible(user) else {}
    return compare(before, after)


def audit_list_for(*, user: Any) -> QuerySet[ConfigurationAudit]:
    audits = ConfigurationAudit.objects.select_related("baseline", "support_team")
    return audits if _visible(user) else audits.none()


def audit_get_for(*, user: Any, code: str) -> ConfigurationAudit:
    found = audit_list_for(user=user).filter(code__iexact=code).first()
    if found is None:
        raise NotFound(_("No audit %(code)s.") % {"code": code})
    return found


def finding_list_for(
    *, user: Any, audit: ConfigurationAudit | None = None, status: str = ""
) -> QuerySet[AuditFinding]:
    findings = AuditFinding.objects.select_related("ci", "run__audit")
    if audit is not None:
        findings = findings.filter(run__audit=audit)
    if status:
        findings = findings.filter(status=status)
    return findings if _visible(user) else findings.none()


def finding_get_for(*, user: Any, finding_id: int) -> AuditFinding:
    found = finding_list_for(user=user).filter(pk=finding_id).first()
    if found is None:
        raise NotFound(_("No such finding."))
    return found


def asset_list_for(
    *, user: Any, lifecycle: str = "", warranty_before: Any = None
) -> QuerySet[Asset]:
    assets = Asset.objects.select_related("ci")
    if lifecycle:
        assets = assets.filter(lifecycle=lifecycle)
    if warranty_before is not None:
        assets = assets.filter(warranty_end__lte=warranty_before)
    return assets if _visible(user) else assets.none()


def asset_get_for(*, user: Any, asset_tag: str) -> Asset:
    found = asset_list_for(user=user).filter(asset_tag__iexact=asset_tag).first()
    if found is None:
        raise NotFound(_("No asset %(tag)s.") % {"tag": asset_tag})
    return found


def licence_list_for(*, user: Any) -> QuerySet[SoftwareLicence]:
    """Licences with ``installed`` (count of installations) attached."""
    licences = SoftwareLicence.objects.annotate(installed=Count("installations"))
    return licences if _visible(user) else licences.none()


def licence_get_for(*, user: Any, code: str) -> SoftwareLicence:
    found = licence_list_for(user=user).filter(code__iexact=code).first()
    if found is None:
        raise NotFound(_("No licence %(code)s.") % {"code": code})
    return found


def installation_get_for(
    *, user: Any, licence: SoftwareLicence, ci: ConfigurationItem
) -> LicenceInstallation:
    found = (
        LicenceInstallation.objects.select_related("licence", "ci")
        .filter(licence=licence, ci=ci)
        .first()
    )
    if found is None or not _visible(user):
        raise NotFound(_("No such installation."))
    return found


def licence_compliance_for(*, user: Any) -> list[dict[str, Any]]:
    """Per licence: entitlements against installations, the shortfall, and compliance;
    non-compliant licences first."""
    rows = [
        {
            "code": licence.code,
            "product": licence.product,
            "entitlements": licence.entitlements,
            "installed": licence.installed,  # type: ignore[attr-defined]
            "available": licence.entitlements - licence.installed,  # type: ignore[attr-defined]
            "compliant": licence.installed <= licence.entitlements,  # type: ignore[attr-defined]
            "ends_on": licence.ends_on,
        }
        for licence in licence_list_for(user=user)
    ]
    return sorted(rows, key=lambda r: (r["compliant"], r["code"]))
