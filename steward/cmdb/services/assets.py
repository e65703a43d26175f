"""The asset register: assets linked to CIs (cost, supplier, warranty, lifecycle), software
licences with their installations, and reminders before warranties and licences end.
See docs/processes/cmdb.md ("Asset register")."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot
from steward.cmdb import permissions
from steward.cmdb.models import (
    ASSET_TRANSITIONS,
    Asset,
    ConfigurationItem,
    LicenceInstallation,
    Reminder,
    ReminderKind,
    SoftwareLicence,
)
from steward.cmdb.services.common import require
from steward.core.errors import Conflict
from steward.core.events import Event, publish
from steward.identity.services.common import apply_changes, validate

ASSET_FIELDS = (
    "name",
    "ci",
    "supplier",
    "purchase_date",
    "cost",
    "currency",
    "warranty_end",
)
LICENCE_FIELDS = (
    "product",
    "publisher",
    "supplier",
    "entitlements",
    "purchase_date",
    "cost",
    "currency",
    "ends_on",
)
REMIND_DAYS = (90, 30, 7)
"""Days before an end date at which a reminder goes out (each once per end date)."""


@dataclass(frozen=True)
class WarrantyEnding(Event):
    asset_id: int
    ends_on: dt.date
    days_before: int


@dataclass(frozen=True)
class LicenceEnding(Event):
    licence_id: int
    ends_on: dt.date
    days_before: int


def _require(actor: Any) -> None:
    if actor is not None:
        require(
            permissions.can_manage_assets(actor),
            _("Only administrators and finance keep the asset register."),
        )


def _check_ci(ci: ConfigurationItem | None, asset: Asset | None = None) -> None:
    others = Asset.objects.filter(ci=ci)
    if asset is not None:
        others = others.exclude(pk=asset.pk)
    if ci is not None and others.exists():
        raise Conflict(_("%(ci)s already has an asset.") % {"ci": ci.ci_id}, field="ci")


def asset_create(*, actor: Any, name: str, **fields: Any) -> Asset:
    """Register an asset (tag ``AST-nnnnnn``), optionally linked to its CI.

    Raises ``NotPermitted``, ``Conflict`` (the CI has an asset), ``ValidationFailed``.
    """
    _require(actor)
    with transaction.atomic():
        _check_ci(fields.get("ci"))
        asset = Asset(asset_tag=f"NEW-{uuid.uuid4().hex[:12]}", name=name, **fields)
        validate(asset)
        asset.save()
        asset.asset_tag = f"AST-{asset.pk:06d}"
        asset.save(update_fields=["asset_tag"])
        audit_record(
            actor=actor,
            obj=asset,
            action="create",
            changes=snapshot(asset, ("asset_tag", "lifecycle", *ASSET_FIELDS)),
        )
    return asset


def asset_update(
    *, actor: Any, asset: Asset, changes: dict[str, Any], expected_version: int | None = None
) -> Asset:
    """Edit an asset's fields (lifecycle changes are actions). Raises ``NotPermitted``,
    ``Conflict`` (changed since ``expected_version``, or the CI has an asset),
    ``ValidationFailed``."""
    _require(actor)
    with transaction.atomic():
        locked = Asset.objects.select_for_update(no_key=True).get(pk=asset.pk)
        if expected_version is not None and expected_version != locked.version:
            raise Conflict(_("The asset was changed by someone else."), field="version")
        if "ci" in changes:
            _check_ci(changes["ci"], locked)
        locked.version += 1
        if not apply_changes(
            locked, actor=actor, changes=changes, allowed=ASSET_FIELDS, extra_fields=["version"]
        ):
            locked.version -= 1
    return locked


def asset_transition(*, actor: Any, asset: Asset, action: str) -> Asset:
    """Move an asset along its lifecycle: receive, deploy, send_to_repair, retire, dispose.
    Raises ``NotPermitted``, ``InvalidTransition``."""
    _require(actor)
    with transaction.atomic():
        locked = Asset.objects.select_for_update(no_key=True).get(pk=asset.pk)
        before = locked.lifecycle
        locked.lifecycle = ASSET_TRANSITIONS.target(action, before)
        locked.version += 1
        locked.save(update_fields=["lifecycle", "version", "updated_at"])
        audit_record(
            actor=actor,
            obj=locked,
            action=action,
            changes={"lifecycle": [before, locked.lifecycle]},
        )
    return locked


def licence_create(
    *, actor: Any, code: str, product: str, entitlements: int, **fields: Any
) -> SoftwareLicence:
    """Register a software licence. Raises ``NotPermitted``, ``Conflict``, ``ValidationFailed``."""
    _require(actor)
    with transaction.atomic():
        if SoftwareLicence.objects.filter(code__iexact=code).exists():
            raise Conflict(_("The licence %(c)s exists.") % {"c": code}, field="code")
        licence = SoftwareLicence(
            code=code.strip(), product=product, entitlements=entitlements, **fields
        )
        validate(licence)
        licence.save()
        audit_record(
            actor=actor,
            obj=licence,
            action="create",
            changes=snapshot(licence, ("code", *LICENCE_FIELDS)),
        )
    return licence


def licence_update(
    *, actor: Any, licence: SoftwareLicence, changes: dict[str, Any]
) -> SoftwareLicence:
    """Edit a licence (e.g. more entitlements, a renewal's new end date)."""
    _require(actor)
    with transaction.atomic():
        locked = SoftwareLicence.objects.select_for_update(no_key=True).get(pk=licence.pk)
        apply_changes(locked, actor=actor, changes=changes, allowed=LICENCE_FIELDS)
    return locked


def licence_install(
    *, actor: Any, licence: SoftwareLicence, ci: ConfigurationItem, installed_on: dt.date
) -> LicenceInstallation:
    """Record that ``ci`` runs the licensed software. Installing beyond the entitlements is
    allowed (reality first) and shows in the compliance report. Raises ``NotPermitted``,
    ``Conflict`` (already recorded)."""
    _require(actor)
    try:
        with transaction.atomic():
            installation = LicenceInstallation.objects.create(
                licence=licence, ci=ci, installed_on=installed_on
            )
            audit_record(
                actor=actor,
                obj=licence,
                action="install",
                changes={"ci": ci.ci_id, "installed_on": installed_on.isoformat()},
            )
    except IntegrityError:
        raise Conflict(
            _("%(ci)s is already recorded for %(l)s.") % {"ci": ci.ci_id, "l": licence.code},
            field="ci",
        ) from None
    return installation


def licence_uninstall(*, actor: Any, installation: LicenceInstallation) -> None:
    """Remove an installation record."""
    _require(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            obj=installation.licence,
            action="uninstall",
            changes={"ci": installation.ci.ci_id},
        )
        installation.delete()


def _threshold(days_left: int) -> int | None:
    fitting = [d for d in REMIND_DAYS if d >= days_left]
    return min(fitting) if fitting and days_left >= 0 else None


def reminders_send(*, today: dt.date) -> list[Reminder]:
    """Emit ``WarrantyEnding``/``LicenceEnding`` for every item whose end date is within the
    nearest threshold of ``REMIND_DAYS``, once per item, end date and threshold (a job that
    runs twice, or late, sends nothing twice; a late job sends only the nearest threshold)."""
    horizon = today + dt.timedelta(days=max(REMIND_DAYS))
    due: list[tuple[str, int, dt.date | None]] = [
        (str(ReminderKind.WARRANTY), pk, end)
        for pk, end in Asset.objects.filter(warranty_end__gte=today, warranty_end__lte=horizon)
        .exclude(lifecycle__in=["retired", "disposed"])
        .values_list("pk", "warranty_end")
    ]
    due += [
        (str(ReminderKind.LICENCE), pk, end)
        for pk, end in SoftwareLicence.objects.filter(
            ends_on__gte=today, ends_on__lte=horizon
        ).values_list("pk", "ends_on")
    ]
    sent = []
    for kind, pk, end in due:
        days = None if end is None else _threshold((end - today).days)
        if end is None or days is None:
            continue
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                kind=kind, item_id=pk, ends_on=end, days_before=days, defaults={"sent_on": today}
            )
            if not created:
                continue
            event_type = WarrantyEnding if kind == ReminderKind.WARRANTY else LicenceEnding
            publish(event_type(pk, end, days))
            sent.append(reminder)
    return sent
