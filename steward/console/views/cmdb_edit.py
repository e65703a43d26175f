"""Changes to a CI from the console: the edit form (generated from the class's attribute
definitions, with the change record and the version read), status actions and relations.

Every write calls the service the API calls; a refused change comes back as a form error
(422; 409 for a stale version, 403 for a refusal) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.cmdb import permissions, selectors, services
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.models import ConfigurationItem
from steward.console.access import render_page, staff_required
from steward.console.cmdb_forms import (
    ATTR,
    CiActionForm,
    CiEditForm,
    RelationAddForm,
    RelationRemoveForm,
    ci_edit_initial,
)
from steward.console.views.cmdb import ACTION_LABELS, team_choices
from steward.core.errors import Conflict, DomainError, NotPermitted
from steward.identity.models import Team


def _status(error: DomainError) -> int:
    if isinstance(error, NotPermitted):
        return 403
    return 409 if isinstance(error, Conflict) else 422


def _form(request: HttpRequest, ci: ConfigurationItem, data: Any = None) -> CiEditForm:
    definitions = definitions_of(ci.ci_class, class_tree())
    return CiEditForm(
        data, initial=ci_edit_initial(ci, definitions), definitions=definitions,
        teams=team_choices(request.user),
    )


def _changes(form: CiEditForm, ci: ConfigurationItem) -> dict[str, Any]:
    """The form's values as ``ci_update`` changes: fields and the attributes (blank clears)."""
    data = form.cleaned_data
    team_code = data["support_team"]
    changes: dict[str, Any] = {
        "name": data["name"], "description": data["description"], "owner": data["owner"],
        "support_team": Team.objects.get(code=team_code) if team_code else None,
        "site": data["site"],
        "criticality": data["criticality"], "environment": data["environment"],
    }
    changes["attributes"] = {
        spec["key"]: data.get(ATTR + spec["key"]) or None for spec in form.definitions
    }
    return changes


@staff_required
def ci_edit(request: HttpRequest, ci_id: str) -> HttpResponse:
    """GET: the form. POST: ``ci_update`` with ``expected_version`` and the change record."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    if not permissions.can_edit_ci(request.user, ci):
        raise PermissionDenied
    if request.method != "POST":
        return _edit_page(request, ci, _form(request, ci))
    form = _form(request, ci, request.POST)
    if not form.is_valid():
        return _edit_page(request, ci, form, status=422)
    try:
        services.ci_update(
            actor=request.user, ci=ci, changes=_changes(form, ci),
            expected_version=form.cleaned_data["version"],
            change_number=form.cleaned_data["change_number"] or None,
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _edit_page(request, ci, form, status=_status(exc))
    messages.success(request, _("%(ci)s was saved.") % {"ci": ci.ci_id})
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


def _edit_page(request: HttpRequest, ci: ConfigurationItem, form: CiEditForm,
               status: int = 200) -> HttpResponse:
    return render_page(request, "console/cmdb/ci_edit.html", {
        "ci": ci, "form": form,
        "controlled": ci.ci_class.under_change_control,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def ci_act(request: HttpRequest, ci_id: str, action: str) -> HttpResponseBase:
    """A status action of ``CI_TRANSITIONS`` (``ci_transition``)."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    if action not in ACTION_LABELS:
        raise PermissionDenied
    form = CiActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The action could not be read; reload the page."))
        return redirect("console:cmdb_ci", ci_id=ci.ci_id)
    try:
        services.ci_transition(
            actor=request.user, ci=ci, action=action,
            expected_version=form.cleaned_data["version"],
            change_number=form.cleaned_data["change_number"] or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:cmdb_ci", ci_id=ci.ci_id)
    messages.success(request, _("%(ci)s: %(action)s.") % {
        "ci": ci.ci_id, "action": ACTION_LABELS[action]})
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


@require_POST
@staff_required
def relation_add(request: HttpRequest, ci_id: str) -> HttpResponseBase:
    """Add ``this <kind> other`` or ``other <kind> this`` (``relation_add``)."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    form = RelationAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            other = selectors.ci_get_for(user=request.user, ci_id=data["other"].strip())
            source, target = (ci, other) if data["direction"] == "out" else (other, ci)
            services.relation_add(
                actor=request.user, source=source, kind=data["kind"], target=target,
                note=data["note"], change_number=data["change_number"] or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The relation was added."))
    else:
        messages.error(request, _("Name the relation and the other CI."))
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


@require_POST
@staff_required
def relation_remove(request: HttpRequest, ci_id: str, relation_id: int) -> HttpResponseBase:
    """Remove a relation (``relation_remove``); back to the CI it was removed from."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    relation = selectors.relation_get_for(user=request.user, relation_id=relation_id)
    if ci.pk not in (relation.source_id, relation.target_id):
        raise PermissionDenied
    form = RelationRemoveForm(request.POST)
    number = form.cleaned_data["change_number"] if form.is_valid() else ""
    try:
        services.relation_remove(actor=request.user, relation=relation,
                                 change_number=number or None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The relation was removed."))
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)
