"""Request items: create, revise (a new immutable version each time), activate/deactivate."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot
from steward.catalogue import formdef, permissions
from steward.catalogue.models import (
    ApprovalKind,
    ApprovalMode,
    RequestItem,
    RequestItemVersion,
    Service,
    TaskMode,
)
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Team
from steward.identity.services.common import validate

VERSION_FIELDS = (
    "name",
    "name_en",
    "description",
    "description_en",
    "form",
    "approval_kind",
    "approval_mode",
    "approval_team",
    "task_mode",
    "tasks",
    "instructions",
    "promised_minutes",
)


def _check_tasks(tasks: Any) -> list[dict[str, Any]]:
    if not isinstance(tasks, list):
        raise ValidationFailed(_("Fulfilment tasks must be a list."), field="tasks")
    codes = set(Team.objects.values_list("code", flat=True))
    for index, task in enumerate(tasks, start=1):
        if not isinstance(task, dict) or not str(task.get("title", "")).strip():
            raise ValidationFailed(_("Task %(n)d needs a title.") % {"n": index}, field="tasks")
        if task.get("team") not in codes:
            raise ValidationFailed(
                _("Task %(n)d: no team with code %(team)s.")
                % {"n": index, "team": task.get("team")},
                field="tasks",
            )
    return tasks


def _check_version(version: RequestItemVersion) -> None:
    formdef.check_definition(version.form)
    _check_tasks(version.tasks)
    if version.approval_kind == ApprovalKind.GROUP and version.approval_team_id is None:
        raise ValidationFailed(_("Name the group that approves."), field="approval_team")
    if version.approval_kind not in ApprovalKind.values:
        raise ValidationFailed(_("Unknown approval rule."), field="approval_kind")
    if version.approval_mode not in ApprovalMode.values:
        raise ValidationFailed(_("Unknown approval mode."), field="approval_mode")
    if version.task_mode not in TaskMode.values:
        raise ValidationFailed(_("Unknown task mode."), field="task_mode")
    if version.promised_minutes <= 0:
        raise ValidationFailed(_("The promised time must be positive."), field="promised_minutes")
    validate(version, exclude=["item"])


def request_item_create(
    *, actor: Any, service: Service, code: str, name: str, **definition: Any
) -> RequestItem:
    """Offer a new request item under ``service`` with its first version."""
    if actor is not None and not permissions.can_edit_service(actor, service):
        raise NotPermitted(_("You may not change this service."))
    unknown = sorted(set(definition) - set(VERSION_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown field %(f)s.") % {"f": unknown[0]}, field=unknown[0])
    with transaction.atomic():
        if RequestItem.objects.filter(code__iexact=code).exists():
            raise ValidationFailed(_("The code %(code)s is taken.") % {"code": code}, field="code")
        item = RequestItem.objects.create(service=service, code=code)
        version = RequestItemVersion(item=item, number=1, name=name, created_by=actor, **definition)
        _check_version(version)
        version.save()
        item.current = version
        item.save(update_fields=["current"])
        audit_record(
            actor=actor,
            obj=item,
            action="create",
            changes={"version": 1, **snapshot(version, VERSION_FIELDS)},
        )
        return item


def request_item_revise(*, actor: Any, item: RequestItem, changes: dict[str, Any]) -> RequestItem:
    """Publish a new version of ``item`` with ``changes``; earlier requests keep theirs."""
    if actor is not None and not permissions.can_edit_service(actor, item.service):
        raise NotPermitted(_("You may not change this service."))
    unknown = sorted(set(changes) - set(VERSION_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown field %(f)s.") % {"f": unknown[0]}, field=unknown[0])
    with transaction.atomic():
        locked = (
            RequestItem.objects.select_for_update(of=("self",))
            .select_related("current")
            .get(pk=item.pk)
        )
        current = locked.current
        assert current is not None
        before = snapshot(current, VERSION_FIELDS)
        version = RequestItemVersion(
            item=locked,
            number=current.number + 1,
            created_by=actor,
            **{field: getattr(current, field) for field in VERSION_FIELDS},
        )
        for field, value in changes.items():
            setattr(version, field, value)
        after = snapshot(version, VERSION_FIELDS)
        if before == after:
            return locked
        _check_version(version)
        version.save()
        locked.current = version
        locked.save(update_fields=["current", "updated_at"])
        audit_record(
            actor=actor,
            obj=locked,
            action="revise",
            changes={
                "version": [current.number, version.number],
                **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
            },
        )
        return locked


def request_item_set_active(*, actor: Any, item: RequestItem, active: bool) -> RequestItem:
    """Withdraw an item from the portal (or offer it again)."""
    if actor is not None and not permissions.can_edit_service(actor, item.service):
        raise NotPermitted(_("You may not change this service."))
    with transaction.atomic():
        if item.is_active != active:
            RequestItem.objects.filter(pk=item.pk).update(is_active=active)
            audit_record(
                actor=actor,
                obj=item,
                action="update",
                changes={"is_active": [item.is_active, active]},
            )
            item.is_active = active
    return item


def request_item_count_use(*, item: RequestItem) -> None:
    """Count one more request raised from ``item`` (ranks "popular" in the portal)."""
    RequestItem.objects.filter(pk=item.pk).update(request_count=F("request_count") + 1)
