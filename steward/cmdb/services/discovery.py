"""Discovery: scripts push host facts (Ansible facts, or a simple JSON of CI fields) that are
reconciled with the CMDB by identification rules; each reported value keeps its source and
observation time (``CiFact``). See docs/processes/cmdb.md ("Discovery").

Writes go through ``ci_create``/``ci_update`` (via ``cmdb.importer``), so every change has its
audit entry and ``CiChange`` rows, and the graph index follows them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.cmdb import permissions
from steward.cmdb.importer import ATTRIBUTE_PREFIX, FIELDS, Importer, Result, is_target, normalised
from steward.cmdb.models import CiClass, CiFact, ImportJob
from steward.cmdb.services.common import require
from steward.core.errors import ValidationFailed

DEFAULT_RULES = [["attributes.serial_number"], ["name", "site"], ["name"]]
"""Tried in order: the first rule whose fields a host reports and that finds a CI wins; a host
no rule finds is created under the first rule it fully reports."""

ANSIBLE_FACTS = {
    "hostname": "name",
    "product_serial": "attributes.serial_number",
    "default_ipv4.address": "attributes.mgmt_ip",
    "processor_vcpus": "attributes.cpu_cores",
    "memtotal_mb": "attributes.memory_mb",
    "distribution": "attributes.os",
    "distribution_version": "attributes.os_version",
    "fqdn": "attributes.fqdn",
}
_PLACEHOLDERS = {"", "na", "none", "not specified", "to be filled by o.e.m."}


@dataclass
class HostResult:
    index: int
    outcome: str
    ci: Any = None
    column: str = ""
    reason: str = ""
    fields: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _dig(facts: dict[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part, value.get(f"ansible_{part}"))
    return value


def host_values(host: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The CI fields a host reports (``{field: text}``) and the keys that are not CI fields.

    Ansible: ``{"ansible_facts": {...}}`` (keys with or without ``ansible_``), mapped by
    ``ANSIBLE_FACTS``. Simple: ``{"name": ..., "site": ..., "attributes": {...}}``.
    """
    values: dict[str, Any] = {}
    ignored: list[str] = []
    if isinstance(host.get("ansible_facts"), dict):
        for path, target in ANSIBLE_FACTS.items():
            values[target] = _dig(host["ansible_facts"], path)
        values.update({k: v for k, v in host.items() if k != "ansible_facts" and is_target(k)})
    else:
        for key, value in host.items():
            if key == "attributes" and isinstance(value, dict):
                values.update({f"{ATTRIBUTE_PREFIX}{k}": v for k, v in value.items()})
            elif is_target(key):
                values[key] = value
            else:
                ignored.append(key)
    texts = {
        k: str(v).strip()
        for k, v in values.items()
        if v is not None and not isinstance(v, dict | list) and normalised(v) not in _PLACEHOLDERS
    }
    return texts, ignored


def _check(actor: Any, source: str, rules: list[list[str]]) -> None:
    if actor is not None:
        require(permissions.can_import(actor), _("You may not report discovered CIs."))
    if not source.strip() or len(source) > 80:
        raise ValidationFailed(
            _("Name the discovery source (up to 80 characters)."), field="source"
        )
    bad = [t for rule in rules for t in rule if t not in FIELDS and not is_target(t)]
    if bad or not rules or not all(rules):
        raise ValidationFailed(_("Unknown identification field."), field="rules")


class _Reconciler:
    def __init__(self, actor: Any, rules: list[list[str]], default_class: CiClass | None):
        self.actor = actor
        self.rules = rules
        self.default_class = default_class
        self.importers: dict[tuple[str, ...], Importer] = {}

    def importer(self, rule: list[str]) -> Importer:
        if tuple(rule) not in self.importers:
            job = ImportJob(
                mapping={},
                match_on=rule,
                default_class=self.default_class,
                dry_run=False,
            )
            self.importers[tuple(rule)] = Importer(
                job, actor=self.actor, preload=False, lenient=True
            )
        return self.importers[tuple(rule)]

    def _run(self, rule: list[str], values: dict[str, str]) -> Result:
        importer = self.importer(rule)
        importer.job.mapping = {t: t for t in values}
        return importer.process(values)

    def process(self, values: dict[str, str]) -> Result:
        applicable = [r for r in self.rules if all(values.get(t) for t in r)]
        if not applicable:
            return self._run(self.rules[0], values)  # rejected: names the missing field
        for rule in applicable:
            parts = [values[t] for t in rule]
            if self.importer(rule).lookup(tuple(normalised(p) for p in parts), parts):
                return self._run(rule, values)
        return self._run(applicable[0], values)


def discovery_submit(
    *,
    actor: Any,
    source: str,
    hosts: list[dict[str, Any]],
    rules: list[list[str]] | None = None,
    default_class: CiClass | None = None,
    observed_at: dt.datetime | None = None,
) -> list[HostResult]:
    """Reconcile reported hosts with the CMDB: create, update or leave each CI, and record
    where and when each reported value was seen. A host that cannot be reconciled is
    rejected with the field and reason; the others still apply.

    Raises ``NotPermitted`` (not a staff writer), ``ValidationFailed`` (source, rules).
    """
    rules = rules or DEFAULT_RULES
    _check(actor, source, rules)
    seen = observed_at or timezone.now()
    now = timezone.now()
    reconciler = _Reconciler(actor, rules, default_class)
    answers = []
    with transaction.atomic():
        for number, host in enumerate(hosts):
            values, ignored = host_values(host)
            result = reconciler.process(values)
            answer = HostResult(
                index=number,
                outcome=result.outcome,
                ci=result.ci,
                column=result.column,
                reason=result.reason,
                fields=result.fields,
                ignored=sorted([*ignored, *result.ignored]),
            )
            answers.append(answer)
            if result.ci is not None and result.ci.pk:
                _record_facts(result.ci, values, answer.ignored, source.strip(), seen, now)
    return answers


def _record_facts(
    ci: Any,
    values: dict[str, str],
    ignored: list[str],
    source: str,
    observed_at: dt.datetime,
    now: dt.datetime,
) -> None:
    for name, value in values.items():
        if name in ignored or name == "ci_id":
            continue
        CiFact.objects.update_or_create(
            ci=ci,
            field=name,
            source=source,
            defaults={"value": value, "observed_at": observed_at, "recorded_at": now},
        )
