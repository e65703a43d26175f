"""Reminders before a warranty or a licence ends, to the people who must act on them.
Subscribed in NotificationsConfig.ready().

``cmdb.services.reminders_send`` publishes ``WarrantyEnding``/``LicenceEnding`` once per
item, end date and threshold inside the transaction that records the reminder, so the
notification and its delivery rows commit with the reminder row: sent once, never lost.

Who hears about it: the owner of the asset's CI; without one, the lead of the CI's support
team; without either (or for an asset not linked to a CI), the people who keep the asset
register (finance). A licence goes to the owners (or team leads) of the CIs it is installed
on, and to finance when it is installed nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from steward.cmdb.models import Asset, ConfigurationItem, LicenceInstallation, SoftwareLicence
from steward.cmdb.services.assets import LicenceEnding, WarrantyEnding
from steward.identity.models import Person, Role
from steward.notifications.services import notification_send


def _responsible(ci: ConfigurationItem) -> Person | None:
    """The CI's owner, else its support team's lead."""
    if ci.owner is not None and ci.owner.is_active:
        return ci.owner
    team = ci.support_team
    lead = team.lead if team is not None else None
    return lead if lead is not None and lead.is_active else None


def _asset_keepers() -> list[Person]:
    """Active people who keep the asset register (finance), for items nobody owns."""
    return list(
        Person.objects.filter(is_active=True, role_grants__role=Role.FINANCE)
        .distinct()
        .order_by("pk")
    )


def _unique(people: Iterable[Person | None]) -> list[Person]:
    return list({p.pk: p for p in people if p is not None}.values())


def _link(name: str, key: str) -> str:
    return f"{settings.STEWARD_BASE_URL}{reverse(name, args=[key])}"


def on_warranty_ending(event: WarrantyEnding) -> None:
    """Tell the asset's CI owner (or team lead, or finance) that its warranty ends soon."""
    asset = (
        Asset.objects.select_related("ci__owner", "ci__support_team__lead")
        .filter(pk=event.asset_id)
        .first()
    )
    if asset is None:
        return
    ci = asset.ci
    recipients = _unique([_responsible(ci)]) if ci is not None else []
    notification_send(
        event="cmdb.warranty_ending",
        recipients=recipients or _asset_keepers(),
        record=ci if ci is not None else asset,
        thread_key=f"cmdb.asset:{asset.pk}:warranty",
        context={
            "asset_tag": asset.asset_tag,
            "name": asset.name,
            "ci_id": ci.ci_id if ci is not None else "",
            "ci_name": ci.name if ci is not None else "",
            "supplier": asset.supplier,
            "ends_on": event.ends_on,
            "days_before": event.days_before,
            "link": _link("console:cmdb_ci", ci.ci_id)
            if ci is not None
            else _link("console:cmdb_asset", asset.asset_tag),
        },
    )


def on_licence_ending(event: LicenceEnding) -> None:
    """Tell the owners of the CIs a licence is installed on that it ends soon."""
    licence = SoftwareLicence.objects.filter(pk=event.licence_id).first()
    if licence is None:
        return
    installations = LicenceInstallation.objects.select_related(
        "ci__owner", "ci__support_team__lead"
    ).filter(licence=licence)
    recipients = _unique(_responsible(i.ci) for i in installations)
    notification_send(
        event="cmdb.licence_ending",
        recipients=recipients or _asset_keepers(),
        record=licence,
        thread_key=f"cmdb.licence:{licence.pk}:end",
        context={
            "code": licence.code,
            "product": licence.product,
            "supplier": licence.supplier,
            "entitlements": licence.entitlements,
            "installed": installations.count(),
            "ends_on": event.ends_on,
            "days_before": event.days_before,
            "link": _link("console:cmdb_licence", licence.code),
        },
    )
