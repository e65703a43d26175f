"""The row logic of a CI import: map a row's cells to CI fields, find the CI by the
identification rule, and decide (dry run) or do (real run) create, update or nothing.

Used by ``services.imports`` and ``services.discovery``. Real runs write through
``ci_create``/``ci_update``, so every CI change has its audit entry and ``CiChange`` rows.
The dry run applies the same checks to in-memory copies, so a file that names a CI twice is
planned as the real run would do it; database constraints are checked only by the real run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from steward.cmdb import attrdef, permissions
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.models import (
    CiClass,
    CiEnvironment,
    CiStatus,
    ConfigurationItem,
    ImportJob,
    ImportOutcome,
)
from steward.cmdb.services.common import _person_exists, _reference_ok
from steward.cmdb.services.items import ci_create, ci_update
from steward.core.errors import DomainError
from steward.identity.models import Person, Site, Team

FIELDS = (
    "ci_id",
    "name",
    "description",
    "ci_class",
    "status",
    "site",
    "support_team",
    "owner",
    "criticality",
    "environment",
)
ATTRIBUTE_PREFIX = "attributes."
_REFERENCES: dict[str, tuple[Any, str]] = {
    "ci_class": (CiClass, "code"),
    "site": (Site, "code"),
    "support_team": (Team, "code"),
    "owner": (Person, "username"),
}


def is_target(name: str) -> bool:
    return name in FIELDS or (name.startswith(ATTRIBUTE_PREFIX) and len(name) > 11)


def normalised(value: Any) -> str:
    return str(value).strip().casefold()


class Rejected(Exception):
    def __init__(self, target: str, reason: str) -> None:
        super().__init__(reason)
        self.target = target
        self.reason = reason


@dataclass
class Result:
    outcome: str  # an ImportOutcome, or "unchanged"
    ci: ConfigurationItem | None = None
    key: str = ""
    column: str = ""
    reason: str = ""
    fields: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _ci_value(ci: ConfigurationItem, target: str) -> Any:
    """The CI's value for ``target`` as an identification key compares it."""
    if target.startswith(ATTRIBUTE_PREFIX):
        return ci.attributes.get(target.removeprefix(ATTRIBUTE_PREFIX))
    if target in _REFERENCES:
        related = getattr(ci, target)
        return None if related is None else getattr(related, _REFERENCES[target][1])
    return getattr(ci, target)


class Importer:
    """Plans and applies the rows of one job, holding the identification index."""

    def __init__(
        self, job: ImportJob, *, actor: Any, preload: bool = True, lenient: bool = False
    ) -> None:
        """``preload`` indexes every CI (a file); otherwise each row looks its CI up (a few
        discovered hosts). ``lenient`` drops attribute values the class does not define
        (listed in ``Result.ignored``) instead of rejecting the row."""
        self.job = job
        self.preload = preload
        self.lenient = lenient
        self.ignored: list[str] = []
        self.actor = actor
        self.dry_run = job.dry_run
        self.columns = {target: column for column, target in job.mapping.items()}
        self.match_on: list[str] = list(job.match_on)
        self.tree = class_tree()
        self._definitions: dict[int, list[dict[str, Any]]] = {}
        self._refs: dict[str, dict[str, Any]] = {name: {} for name in _REFERENCES}
        self.index: dict[tuple[str, ...], list[ConfigurationItem]] = defaultdict(list)
        if preload:
            for ci in self._all():
                self._index(ci)

    @staticmethod
    def _all() -> Any:
        return ConfigurationItem.objects.select_related("ci_class", "site", "support_team", "owner")

    def lookup(self, key: tuple[str, ...], parts: list[str]) -> list[ConfigurationItem]:
        if self.preload or key in self.index:
            return self.index.get(key, [])
        query = self._all()
        for target, value in zip(self.match_on, parts, strict=True):
            if target in _REFERENCES:
                target = f"{target}__{_REFERENCES[target][1]}"
            query = query.filter(**{f"{target.replace('.', '__')}__iexact": value})
        found = [ci for ci in query[:5] if self._key_of(ci) == key]
        self.index[key] = found
        return found

    # -- identification ---------------------------------------------------------------------

    def _key_of(self, ci: ConfigurationItem) -> tuple[str, ...] | None:
        values = [_ci_value(ci, target) for target in self.match_on]
        if any(v is None or v == "" for v in values):
            return None
        return tuple(normalised(v) for v in values)

    def _index(self, ci: ConfigurationItem) -> None:
        key = self._key_of(ci)
        if key is not None:
            self.index[key].append(ci)

    def _find(self, values: dict[str, str]) -> tuple[str, ConfigurationItem | None]:
        parts = []
        for target in self.match_on:
            value = values.get(target, "")
            if not value:
                raise Rejected(
                    target,
                    _("The identification value %(field)s is missing.") % {"field": target},
                )
            parts.append(value)
        label = ", ".join(f"{t}={v}" for t, v in zip(self.match_on, parts, strict=True))
        found = self.lookup(tuple(normalised(p) for p in parts), parts)
        if len(found) > 1:
            raise Rejected(
                self.match_on[0],
                _("Ambiguous: %(key)s matches %(cis)s.")
                % {"key": label, "cis": ", ".join(ci.ci_id for ci in found)},
            )
        return label, (found[0] if found else None)

    # -- cells to values ------------------------------------------------------------------

    def _cells(self, row: dict[str, str]) -> dict[str, str]:
        values = {}
        for column, target in self.job.mapping.items():
            raw = row.get(column, "").strip()
            raw = str(self.job.value_map.get(target, {}).get(raw, raw)).strip()
            if raw:
                values[target] = raw
        return values

    def _reference(self, target: str, text: str) -> Any:
        cache = self._refs[target]
        if text.casefold() not in cache:
            model, lookup = _REFERENCES[target]
            cache[text.casefold()] = model._default_manager.filter(
                **{f"{lookup}__iexact": text}
            ).first()
        found = cache[text.casefold()]
        if found is None:
            raise Rejected(
                target, _("No such %(field)s: %(value)s.") % {"field": target, "value": text}
            )
        return found

    def _fields(self, values: dict[str, str]) -> dict[str, Any]:
        """The CI fields (records for references) and the raw attribute values of a row."""
        fields: dict[str, Any] = {}
        attributes: dict[str, str] = {}
        for target, text in values.items():
            if target.startswith(ATTRIBUTE_PREFIX):
                attributes[target.removeprefix(ATTRIBUTE_PREFIX)] = text
            elif target in _REFERENCES:
                fields[target] = self._reference(target, text)
            elif target == "criticality":
                if text not in ("1", "2", "3", "4"):
                    raise Rejected(target, _("Criticality is 1, 2, 3 or 4."))
                fields[target] = int(text)
            elif target == "environment":
                if text not in CiEnvironment.values:
                    raise Rejected(target, _("Unknown environment %(value)s.") % {"value": text})
                fields[target] = text
            elif target == "status":
                if text not in (CiStatus.PLANNED, CiStatus.IN_USE):
                    raise Rejected(target, _("A new CI is planned or in use."))
                fields[target] = text
            elif target != "ci_id":
                fields[target] = text
        fields["attributes"] = attributes
        return fields

    def _clean(self, ci_class: CiClass, values: dict[str, Any]) -> dict[str, Any]:
        if ci_class.pk not in self._definitions:
            self._definitions[ci_class.pk] = definitions_of(ci_class, self.tree)
        if self.lenient:
            known = {spec["key"] for spec in self._definitions[ci_class.pk]}
            self.ignored = sorted(f"{ATTRIBUTE_PREFIX}{k}" for k in set(values) - known)
            values = {k: v for k, v in values.items() if k in known}
        try:
            return attrdef.clean_values(
                self._definitions[ci_class.pk],
                values,
                person_exists=_person_exists,
                reference_ok=_reference_ok,
            )
        except DomainError as exc:
            raise Rejected(exc.field or "attributes", exc.message) from None

    # -- one row --------------------------------------------------------------------------

    def column_of(self, target: str) -> str:
        return str(self.columns.get(target, target))

    def process(self, row: dict[str, str]) -> Result:
        """What the row does; raises nothing but unexpected errors."""
        key = ""
        self.ignored = []
        try:
            values = self._cells(row)
            key, ci = self._find(values)
            fields = self._fields(values)
            if ci is None:
                return self._create(key, fields)
            return self._update(key, ci, fields)
        except Rejected as exc:
            return Result(
                ImportOutcome.REJECTED,
                key=key,
                column=self.column_of(exc.target),
                reason=exc.reason,
            )
        except DomainError as exc:
            return Result(
                ImportOutcome.REJECTED,
                key=key,
                column=self.column_of(exc.field or ""),
                reason=exc.message,
            )

    def _create(self, key: str, fields: dict[str, Any]) -> Result:
        ci_class = fields.pop("ci_class", None) or self.job.default_class
        if ci_class is None:
            raise Rejected("ci_class", _("No class: map a class column or choose a default class."))
        if not ci_class.is_active:
            raise Rejected(
                "ci_class", _("The class %(code)s is no longer in use.") % {"code": ci_class.code}
            )
        if not fields.get("name"):
            raise Rejected("name", _("A new CI needs a name."))
        attributes = self._clean(ci_class, fields.pop("attributes"))
        if self.actor is not None and not permissions.can_create_ci(
            self.actor, fields.get("support_team")
        ):
            raise Rejected("support_team", _("You may not add CIs for this support team."))
        if self.dry_run:
            ci = ConfigurationItem(ci_class=ci_class, attributes=attributes, **fields)
            ci.ci_id = _("(new)")
        else:
            ci = ci_create(actor=self.actor, ci_class=ci_class, attributes=attributes, **fields)
        self._index(ci)
        return Result(ImportOutcome.CREATED, ci=ci, key=key, ignored=self.ignored)

    def _update(self, key: str, ci: ConfigurationItem, fields: dict[str, Any]) -> Result:
        given = fields.pop("attributes")
        fields.pop("status", None)  # status changes are actions, never an import's edit
        ci_class = fields.get("ci_class", ci.ci_class)
        known = {spec["key"] for spec in definitions_of(ci_class, self.tree)}
        current = {k: v for k, v in ci.attributes.items() if k in known}
        attributes = self._clean(ci_class, {**current, **given})
        changes = {name: value for name, value in fields.items() if getattr(ci, name) != value}
        if attributes != ci.attributes:
            changes["attributes"] = attributes
        if not changes:
            return Result("unchanged", ci=ci, key=key, ignored=self.ignored)
        if self.actor is not None and not permissions.can_edit_ci(self.actor, ci):
            raise Rejected("support_team", _("You may not change %(ci)s.") % {"ci": ci.ci_id})
        names = sorted(
            [n for n in changes if n != "attributes"]
            + [
                f"{ATTRIBUTE_PREFIX}{k}"
                for k in set(attributes) | set(ci.attributes)
                if attributes.get(k) != ci.attributes.get(k)
            ]
        )
        if self.dry_run:
            for name, value in changes.items():
                setattr(ci, name, value)
        else:
            updated = ci_update(actor=self.actor, ci=ci, changes=changes)
            for name in [*changes, "version"]:
                setattr(ci, name, getattr(updated, name))
        return Result(ImportOutcome.UPDATED, ci=ci, key=key, fields=names, ignored=self.ignored)
