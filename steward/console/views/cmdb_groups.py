"""Redundancy groups and the asset of a CI, from the CI page: create a group with this CI in
it, set a group's members (``group_create``, ``group_set_members``), and register the CI's
asset (``asset_create``). Refusals come back on the CI page, on the field they name."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.cmdb import permissions, selectors, services
from steward.cmdb.models import ConfigurationItem
from steward.console.access import staff_required
from steward.console.cmdb_create_forms import (
    AssetCreateForm,
    GroupCreateForm,
    GroupMembersForm,
    ci_ids,
)
from steward.console.views.cmdb import render_ci_page, team_choices
from steward.core.errors import DomainError, NotFound, NotPermitted
from steward.identity.models import Team


def _status(error: DomainError) -> int:
    return 403 if isinstance(error, NotPermitted) else 422


def _members(user: Any, text: str, form: Any) -> list[ConfigurationItem] | None:
    """The CIs named in ``text`` (visible to ``user``), or None with an error on ``members``."""
    found = []
    for ci_id in ci_ids(text):
        try:
            found.append(selectors.ci_get_for(user=user, ci_id=ci_id))
        except NotFound:
            form.add_error("members", _("No CI %(ci)s.") % {"ci": ci_id})
            return None
    return found


@require_POST
@staff_required
def group_create(request: HttpRequest, ci_id: str) -> HttpResponseBase:
    """A new redundancy group with this CI and the other members named."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    if not permissions.can_edit_ci(request.user, ci):
        raise PermissionDenied
    form = GroupCreateForm(request.POST, teams=team_choices(request.user))
    others = _members(request.user, form.cleaned_data["members"], form) if form.is_valid() \
        else None
    if others is None:
        return render_ci_page(request, ci, status=422, group_form=form)
    data = form.cleaned_data
    try:
        group = services.group_create(
            actor=request.user, code=data["code"].strip(), name=data["name"].strip(),
            support_team=Team.objects.filter(code=data["support_team"]).first(),
            members=[ci, *(o for o in others if o.pk != ci.pk)],
            change_number=data["change_number"] or None,
        )
    except NotPermitted as exc:
        form.add_error("support_team", exc.message)
        return render_ci_page(request, ci, status=403, group_form=form)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render_ci_page(request, ci, status=_status(exc), group_form=form)
    messages.success(request, _("The redundancy group %(code)s was created.") % {
        "code": group.code})
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


@require_POST
@staff_required
def group_members(request: HttpRequest, ci_id: str) -> HttpResponseBase:
    """Replace the members of this CI's group (leaving this CI out takes it out)."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    group = ci.redundancy_group
    if group is None or not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    form = GroupMembersForm(request.POST)
    members = _members(request.user, form.cleaned_data["members"], form) if form.is_valid() \
        else None
    if members is None:
        return render_ci_page(request, ci, status=422, members_form=form)
    try:
        services.group_set_members(actor=request.user, group=group, members=members,
                                   change_number=form.cleaned_data["change_number"] or None)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render_ci_page(request, ci, status=_status(exc), members_form=form)
    messages.success(request, _("The members of %(code)s were saved.") % {"code": group.code})
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


@require_POST
@staff_required
def asset_register(request: HttpRequest, ci_id: str) -> HttpResponseBase:
    """Register the asset of a CI that has none (administrators and finance)."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    if not permissions.can_manage_assets(request.user):
        raise PermissionDenied
    form = AssetCreateForm(request.POST)
    if not form.is_valid():
        return render_ci_page(request, ci, status=422, asset_form=form)
    data = form.cleaned_data
    try:
        asset = services.asset_create(
            actor=request.user, name=data["name"], ci=ci,
            purchase_date=data["purchase_date"], cost=data["cost"],
            currency=data["currency"], supplier=data["supplier"],
            warranty_end=data["warranty_end"], lifecycle=data["lifecycle"],
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return render_ci_page(request, ci, status=409 if exc.field == "ci" else _status(exc),
                              asset_form=form)
    messages.success(request, _("The asset %(tag)s was registered.") % {"tag": asset.asset_tag})
    return redirect("console:cmdb_asset", asset_tag=asset.asset_tag)
