"""Configuration items: create, edit (optimistic concurrency), status actions, service CIs."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot, to_json
from steward.catalogue import permissions as catalogue_permissions
from steward.catalogue.models import Service, ServiceLifecycle
from steward.cmdb import history, permissions
from steward.cmdb.classtree import definitions_of
from steward.cmdb.models import (
    CI_TRANSITIONS,
    ChangeAction,
    CiClass,
    CiStatus,
    ConfigurationItem,
)
from steward.cmdb.services.common import clean_attributes, require, require_ci_editor
from steward.core.errors import Conflict, ValidationFailed
from steward.identity.models import Team
from steward.identity.services.common import apply_changes, validate

CI_FIELDS = (
    "ci_id",
    "ci_class",
    "name",
    "description",
    "status",
    "owner",
    "support_team",
    "site",
    "criticality",
    "environment",
    "attributes",
    "service",
)
EDITABLE = (
    "ci_class",
    "name",
    "description",
    "owner",
    "support_team",
    "site",
    "criticality",
    "environment",
    "attributes",
)


def _check_version(ci: ConfigurationItem, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != ci.version:
        raise Conflict(
            _("%(ci)s was changed by someone else (version %(now)d, you had %(had)d).")
            % {"ci": ci.ci_id, "now": ci.version, "had": expected_version},
            field="version",
        )


def ci_create(
    *,
    actor: Any,
    ci_class: CiClass,
    name: str,
    support_team: Team | None = None,
    attributes: dict[str, Any] | None = None,
    change_number: str | None = None,
    **fields: Any,
) -> ConfigurationItem:
    """Register a configuration item; it gets the next ``CI-nnnnnn`` id.

    Preconditions: the actor is an administrator or a member of ``support_team``; the class
    is active. Raises ``NotPermitted``, ``ValidationFailed`` (``attributes.<key>`` for a bad
    attribute value).
    """
    if actor is not None:
        require(
            permissions.can_create_ci(actor, support_team),
            _("Only administrators and members of the support team can add this CI."),
        )
    return _create(
        actor=actor,
        ci_class=ci_class,
        name=name,
        support_team=support_team,
        attributes=attributes,
        change_number=change_number,
        **fields,
    )


def _create(
    *,
    actor: Any,
    ci_class: CiClass,
    name: str,
    support_team: Team | None,
    attributes: dict[str, Any] | None,
    change_number: str | None,
    **fields: Any,
) -> ConfigurationItem:
    if not ci_class.is_active:
        raise ValidationFailed(
            _("The class %(code)s is no longer in use.") % {"code": ci_class.code},
            field="ci_class",
        )
    if fields.get("status", CiStatus.IN_USE) not in (CiStatus.PLANNED, CiStatus.IN_USE):
        raise ValidationFailed(_("A new CI is planned or in use."), field="status")
    cleaned = clean_attributes(ci_class, attributes or {})
    with transaction.atomic():
        ci = ConfigurationItem(
            ci_id=f"NEW-{uuid.uuid4().hex[:12]}",
            ci_class=ci_class,
            name=name,
            support_team=support_team,
            attributes=cleaned,
            **fields,
        )
        validate(ci)
        ci.save()
        ci.ci_id = f"CI-{ci.pk:06d}"
        ci.save(update_fields=["ci_id"])
        values = snapshot(ci, CI_FIELDS)
        audit_record(actor=actor, obj=ci, action="create", changes=values)
        values.pop("attributes")
        changes = {f: [None, value] for f, value in values.items() if value not in (None, "")}
        changes |= {f"attributes.{key}": [None, value] for key, value in cleaned.items()}
        history.record(
            ci=ci,
            action=ChangeAction.CREATE,
            changes=changes,
            actor=actor,
            change_number=change_number,
        )
        return ci


def _merged_attributes(
    ci: ConfigurationItem, ci_class: CiClass, given: dict[str, Any]
) -> dict[str, Any]:
    """The CI's values with ``given`` applied (None or "" removes a value); values of
    attributes the class no longer defines are dropped."""
    defined = {spec["key"] for spec in definitions_of(ci_class)}
    merged = {k: v for k, v in ci.attributes.items() if k in defined}
    merged.update(given)
    return clean_attributes(ci_class, merged)


def ci_update(
    *,
    actor: Any,
    ci: ConfigurationItem,
    changes: dict[str, Any],
    expected_version: int | None = None,
    change_number: str | None = None,
) -> ConfigurationItem:
    """Edit a CI's fields and attribute values (``changes["attributes"]`` is a partial dict).

    ``expected_version`` is the version the actor read: if the CI changed since, ``Conflict``.
    Status changes are actions (``ci_transition``). Writes one history row per changed field
    (``attributes.<key>`` per attribute) and one audit entry; the version goes up by one.
    Raises ``NotPermitted``, ``Conflict``, ``ValidationFailed``.
    """
    require_ci_editor(actor, ci)
    return _update(
        actor=actor,
        ci=ci,
        changes=changes,
        expected_version=expected_version,
        change_number=change_number,
    )


def _update(
    *,
    actor: Any,
    ci: ConfigurationItem,
    changes: dict[str, Any],
    expected_version: int | None,
    change_number: str | None,
) -> ConfigurationItem:
    with transaction.atomic():
        locked = (
            ConfigurationItem.objects.select_for_update(no_key=True, of=("self",))
            .select_related("ci_class")
            .get(pk=ci.pk)
        )
        _check_version(locked, expected_version)
        changes = dict(changes)
        new_class = changes.get("ci_class", locked.ci_class)
        if "ci_class" in changes and not new_class.is_active:
            raise ValidationFailed(_("That class is no longer in use."), field="ci_class")
        if "attributes" in changes or "ci_class" in changes:
            changes["attributes"] = _merged_attributes(
                locked, new_class, changes.get("attributes") or {}
            )
        before_attributes = dict(locked.attributes)
        locked.version += 1
        changed = apply_changes(
            locked, actor=actor, changes=changes, allowed=EDITABLE, extra_fields=["version"]
        )
        if not changed:
            locked.version -= 1
            return locked
        field_changes = {k: v for k, v in changed.items() if k != "attributes"}
        after_attributes = locked.attributes
        for key in sorted(set(before_attributes) | set(after_attributes)):
            if before_attributes.get(key) != after_attributes.get(key):
                field_changes[f"attributes.{key}"] = [
                    before_attributes.get(key),
                    after_attributes.get(key),
                ]
        history.record(
            ci=locked,
            action=ChangeAction.UPDATE,
            changes=field_changes,
            actor=actor,
            change_number=change_number,
        )
        return locked


def ci_transition(
    *,
    actor: Any,
    ci: ConfigurationItem,
    action: str,
    expected_version: int | None = None,
    change_number: str | None = None,
) -> ConfigurationItem:
    """Change a CI's status by a named action: ``put_in_use``, ``start_maintenance``, ``retire``.

    Raises ``NotPermitted``, ``InvalidTransition``, ``Conflict``.
    """
    require_ci_editor(actor, ci)
    with transaction.atomic():
        locked = (
            ConfigurationItem.objects.select_for_update(no_key=True, of=("self",))
            .select_related("ci_class")
            .get(pk=ci.pk)
        )
        _check_version(locked, expected_version)
        target = CI_TRANSITIONS.target(action, locked.status)
        before = locked.status
        locked.status = target
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=actor, obj=locked, action=action, changes={"status": [before, target]})
        history.record(
            ci=locked,
            action=ChangeAction.TRANSITION,
            changes={"status": [before, target]},
            actor=actor,
            change_number=change_number,
        )
        return locked


def ci_retire(
    *,
    actor: Any,
    ci: ConfigurationItem,
    expected_version: int | None = None,
    change_number: str | None = None,
) -> ConfigurationItem:
    """Take a CI out of service for good. Its relations stay, for history; the impact walk
    skips retired CIs."""
    return ci_transition(
        actor=actor,
        ci=ci,
        action="retire",
        expected_version=expected_version,
        change_number=change_number,
    )


_LIFECYCLE_STATUS: dict[str, str] = {
    ServiceLifecycle.PIPELINE: CiStatus.PLANNED,
    ServiceLifecycle.LIVE: CiStatus.IN_USE,
    ServiceLifecycle.RETIRED: CiStatus.RETIRED,
}


def ci_for_service(
    *,
    actor: Any,
    service: Service,
    ci_class: CiClass | None = None,
    change_number: str | None = None,
) -> ConfigurationItem:
    """The CI of a catalogue service: created on first call (class ``service`` unless another
    is named), and on later calls brought in line with the service's name, owner, support
    team and criticality. Its status follows the service's lifecycle when created.

    Preconditions: an administrator, the service's owner or a member of its support team.
    """
    if actor is not None:
        require(
            catalogue_permissions.can_edit_service(actor, service)
            or permissions.can_create_ci(actor, service.support_team),
            _("You may not register this service in the CMDB."),
        )
    with transaction.atomic():
        existing = ConfigurationItem.objects.filter(service=service).first()
        wanted: dict[str, Any] = {
            "name": service.name,
            "owner": service.owner,
            "support_team": service.support_team,
            "criticality": service.criticality,
        }
        if existing is not None:
            current = snapshot(existing, wanted)
            stale = {k: v for k, v in wanted.items() if current[k] != to_json(v)}
            if not stale:
                return existing
            return _update(
                actor=actor,
                ci=existing,
                changes=stale,
                expected_version=None,
                change_number=change_number,
            )
        if ci_class is None:
            ci_class = CiClass.objects.filter(code="service").first()
            if ci_class is None:
                raise ValidationFailed(
                    _("Create the CI class 'service' first, or name a class."), field="ci_class"
                )
        return _create(
            actor=actor,
            ci_class=ci_class,
            service=service,
            attributes=None,
            status=_LIFECYCLE_STATUS.get(service.lifecycle, CiStatus.PLANNED),
            change_number=change_number,
            **wanted,
        )
