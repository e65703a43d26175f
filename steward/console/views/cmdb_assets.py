"""The asset register and licence compliance in the console. Staff read; administrators
and finance move assets along their lifecycle (``asset_transition``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.cmdb import permissions, selectors, services
from steward.cmdb.models import ASSET_TRANSITIONS, AssetLifecycle
from steward.console.access import render_page, staff_required
from steward.console.cmdb_create_forms import (
    AssetEditForm,
    LicenceCreateForm,
    LicenceInstallForm,
)
from steward.core.errors import Conflict, DomainError, NotFound

PAGE_SIZE = 50
ASSET_ACTIONS = {
    "receive": gettext_lazy("Receive"),
    "deploy": gettext_lazy("Deploy"),
    "send_to_repair": gettext_lazy("Send to repair"),
    "retire": gettext_lazy("Retire"),
    "dispose": gettext_lazy("Dispose"),
}


@staff_required
def assets(request: HttpRequest) -> HttpResponse:
    """The register, by lifecycle; ``?warranty=90``: warranties ending within 90 days."""
    lifecycle = request.GET.get("lifecycle", "")
    lifecycle = lifecycle if lifecycle in AssetLifecycle.values else ""
    days = request.GET.get("warranty", "")
    before = (
        timezone.localdate() + dt.timedelta(days=int(days)) if days.isdigit() else None
    )
    found = selectors.asset_list_for(user=request.user, lifecycle=lifecycle,
                                     warranty_before=before)
    if before is not None:
        found = found.filter(warranty_end__gte=timezone.localdate()).order_by("warranty_end")
    totals = found.values("currency").annotate(total=Sum("cost")).order_by("currency")
    return render_page(request, "console/cmdb/assets.html", {
        "page_obj": Paginator(found.select_related("ci"), PAGE_SIZE).get_page(
            request.GET.get("page")),
        "lifecycles": AssetLifecycle.choices, "lifecycle": lifecycle, "warranty": days,
        "totals": list(totals),
    }, section="cmdb")


@staff_required
def asset(request: HttpRequest, asset_tag: str) -> HttpResponse:
    found = selectors.asset_get_for(user=request.user, asset_tag=asset_tag)
    can_manage = permissions.can_manage_assets(request.user)
    return render_page(request, "console/cmdb/asset.html", {
        "asset": found, "can_manage": can_manage,
        "actions": [(a, ASSET_ACTIONS[a]) for a in ASSET_TRANSITIONS.allowed(found.lifecycle)]
        if can_manage else [],
    }, section="cmdb")


@staff_required
def asset_edit(request: HttpRequest, asset_tag: str) -> HttpResponse:
    """``asset_update`` (administrators and finance), with the version read."""
    found = selectors.asset_get_for(user=request.user, asset_tag=asset_tag)
    if not permissions.can_manage_assets(request.user):
        raise PermissionDenied
    initial = {name: getattr(found, name) for name in AssetEditForm.FIELDS}
    form = AssetEditForm(request.POST or None, initial={**initial, "version": found.version})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            changes = {k: data[k] for k in AssetEditForm.FIELDS if data[k] != initial[k]}
            try:
                services.asset_update(actor=request.user, asset=found, changes=changes,
                                      expected_version=data["version"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 409 if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("%(tag)s was saved.") % {"tag": found.asset_tag})
                return redirect("console:cmdb_asset", asset_tag=found.asset_tag)
    return render_page(request, "console/cmdb/asset_edit.html", {
        "asset": found, "form": form,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def asset_act(request: HttpRequest, asset_tag: str, action: str) -> HttpResponseBase:
    found = selectors.asset_get_for(user=request.user, asset_tag=asset_tag)
    if not permissions.can_manage_assets(request.user) or action not in ASSET_ACTIONS:
        raise PermissionDenied
    try:
        services.asset_transition(actor=request.user, asset=found, action=action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(tag)s: %(action)s.") % {
            "tag": found.asset_tag, "action": ASSET_ACTIONS[action]})
    return redirect("console:cmdb_asset", asset_tag=found.asset_tag)


@staff_required
def licences(request: HttpRequest) -> HttpResponse:
    """The compliance report: entitlements against installations, shortfalls first."""
    return _licences_page(request)


def _licences_page(request: HttpRequest, form: LicenceCreateForm | None = None,
                   status: int = 200) -> HttpResponse:
    rows = selectors.licence_compliance_for(user=request.user)
    if form is None and permissions.can_manage_assets(request.user):
        form = LicenceCreateForm()
    return render_page(request, "console/cmdb/licences.html", {
        "rows": rows,
        "shortfall": sum(1 for r in rows if not r["compliant"]),
        "today": timezone.localdate(),
        "licence_form": form,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def licence_new(request: HttpRequest) -> HttpResponseBase:
    """``licence_create`` (administrators and finance)."""
    if not permissions.can_manage_assets(request.user):
        raise PermissionDenied
    form = LicenceCreateForm(request.POST)
    if not form.is_valid():
        return _licences_page(request, form, status=422)
    data = form.cleaned_data
    try:
        created = services.licence_create(
            actor=request.user, code=data["code"].strip(), product=data["product"].strip(),
            entitlements=data["entitlements"], publisher=data["publisher"].strip(),
            supplier=data["supplier"].strip(), purchase_date=data["purchase_date"],
            cost=data["cost"], currency=data["currency"].strip().upper(),
            ends_on=data["ends_on"],
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _licences_page(request, form, status=409 if isinstance(exc, Conflict) else 422)
    messages.success(request, _("The licence %(code)s was registered.") % {"code": created.code})
    return redirect("console:cmdb_licence", code=created.code)


@staff_required
def licence(request: HttpRequest, code: str) -> HttpResponse:
    return _licence_page(request, selectors.licence_get_for(user=request.user, code=code))


def _licence_page(request: HttpRequest, found: Any, form: LicenceInstallForm | None = None,
                  status: int = 200) -> HttpResponse:
    installations = found.installations.select_related("ci__ci_class", "ci__owner").order_by(
        "ci__ci_id")
    can_manage = permissions.can_manage_assets(request.user)
    if form is None and can_manage:
        form = LicenceInstallForm(initial={"installed_on": timezone.localdate()})
    return render_page(request, "console/cmdb/licence.html", {
        "licence": found, "installations": installations, "can_manage": can_manage,
        "install_form": form,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def licence_install(request: HttpRequest, code: str) -> HttpResponseBase:
    """``licence_install`` (administrators and finance): the CI by its id."""
    if not permissions.can_manage_assets(request.user):
        raise PermissionDenied
    found = selectors.licence_get_for(user=request.user, code=code)
    form = LicenceInstallForm(request.POST)
    if not form.is_valid():
        return _licence_page(request, found, form, status=422)
    data = form.cleaned_data
    try:
        ci = selectors.ci_get_for(user=request.user, ci_id=data["ci_id"].strip())
    except NotFound as exc:
        form.add_error("ci_id", exc.message)
        return _licence_page(request, found, form, status=422)
    try:
        services.licence_install(
            actor=request.user, licence=found, ci=ci, installed_on=data["installed_on"]
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _licence_page(request, found, form, status=409 if isinstance(exc, Conflict) else 422)
    messages.success(request, _("%(ci)s now runs %(licence)s.") % {
        "ci": ci.ci_id, "licence": found.code})
    return redirect("console:cmdb_licence", code=found.code)


@require_POST
@staff_required
def licence_uninstall(request: HttpRequest, code: str, installation_id: int) -> HttpResponseBase:
    """``licence_uninstall`` (administrators and finance)."""
    if not permissions.can_manage_assets(request.user):
        raise PermissionDenied
    found = selectors.licence_get_for(user=request.user, code=code)
    installation = found.installations.select_related("ci").filter(pk=installation_id).first()
    if installation is None:
        raise Http404
    services.licence_uninstall(actor=request.user, installation=installation)
    messages.success(request, _("%(ci)s no longer counts against %(licence)s.") % {
        "ci": installation.ci.ci_id, "licence": found.code})
    return redirect("console:cmdb_licence", code=found.code)
