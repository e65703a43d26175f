"""Creating CIs from the console: choose a class, then the form generated from its attribute
definitions (``ci_create``). CI classes and their attribute definitions: the tree with own and
inherited attributes, and the forms of ``class_create`` and ``class_set_attributes``.

Every write calls the service the API calls; a refusal comes back on the field it names
(422, 403 for a refusal) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.catalogue import selectors as catalogue_selectors
from steward.cmdb import permissions, selectors, services
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.models import CiClass
from steward.console.access import render_page, staff_required
from steward.console.cmdb_create_forms import (
    TYPE_LABELS,
    AttributeForm,
    CiCreateForm,
    ClassCreateForm,
    ClassEditForm,
    ClassPickForm,
)
from steward.console.cmdb_forms import ATTR, choice_label, label_of
from steward.console.views.cmdb import class_choices, team_choices
from steward.core.errors import DomainError, NotPermitted
from steward.identity.models import Team


def _status(error: DomainError) -> int:
    return 403 if isinstance(error, NotPermitted) else 422


def _active_class_choices(user: Any) -> list[tuple[str, str]]:
    active = set(CiClass.objects.filter(is_active=True).values_list("code", flat=True))
    return [(code, label) for code, label in class_choices(user) if code in active]


def _service_choices(user: Any) -> list[tuple[str, str]]:
    """Catalogue services that are not yet a CI."""
    found = catalogue_selectors.service_list_for(user=user).filter(ci__isnull=True)
    return [(s.code, f"{s.code} {s.display_name()}") for s in found.order_by("code")]


def _own_team(user: Any) -> str:
    """The first team the user belongs to, as the new CI's support team by default."""
    team = Team.objects.filter(memberships__person=user).order_by("code").first()
    return team.code if team else ""


@staff_required
def ci_new(request: HttpRequest) -> HttpResponse:
    """GET without a class: the class picker. With ``ci_class``: the form. POST: ``ci_create``."""
    if not permissions.can_import(request.user):
        raise PermissionDenied
    code = request.POST.get("ci_class") or request.GET.get("ci_class") or ""
    ci_class = CiClass.objects.filter(code=code, is_active=True).first()
    if ci_class is None:
        picker = ClassPickForm(classes=_active_class_choices(request.user))
        return render_page(request, "console/cmdb/ci_new.html", {
            "picker": picker, "ci_class": None,
        }, section="cmdb")
    definitions = definitions_of(ci_class, class_tree())
    form = CiCreateForm(
        request.POST if request.method == "POST" else None,
        definitions=definitions, teams=team_choices(request.user),
        services=_service_choices(request.user),
        initial={"support_team": _own_team(request.user), "status": "in_use",
                 "environment": "production", "criticality": 3},
    )
    if request.method != "POST":
        return _new_page(request, ci_class, form)
    if not form.is_valid():
        return _new_page(request, ci_class, form, status=422)
    data = form.cleaned_data
    team = Team.objects.filter(code=data["support_team"]).first()
    service = (catalogue_selectors.service_list_for(user=request.user)
               .filter(code=data["service"]).first() if data["service"] else None)
    try:
        ci = services.ci_create(
            actor=request.user, ci_class=ci_class, name=data["name"], support_team=team,
            attributes={spec["key"]: data.get(ATTR + spec["key"]) for spec in definitions
                        if data.get(ATTR + spec["key"]) not in (None, "")},
            change_number=data["change_number"] or None,
            description=data["description"], status=data["status"], owner=data["owner"],
            site=data["site"], criticality=data["criticality"],
            environment=data["environment"], service=service,
        )
    except NotPermitted as exc:
        form.add_error("support_team", exc.message)
        return _new_page(request, ci_class, form, status=403)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _new_page(request, ci_class, form, status=_status(exc))
    messages.success(request, _("%(ci)s was created.") % {"ci": ci.ci_id})
    return redirect("console:cmdb_ci", ci_id=ci.ci_id)


def _new_page(request: HttpRequest, ci_class: CiClass, form: CiCreateForm,
              status: int = 200) -> HttpResponse:
    return render_page(request, "console/cmdb/ci_new.html", {
        "ci_class": ci_class, "form": form,
        "controlled": ci_class.under_change_control,
    }, section="cmdb", status=status)


def _class_rows(user: Any) -> list[dict[str, Any]]:
    """The tree in display order, each class with its inherited and own attributes."""
    by_code = {c.code: c for c in selectors.class_list_for(user=user)}
    rows = []
    for code, indented in class_choices(user):
        ci_class = by_code[code]
        attributes = [{
            **spec, "label_shown": label_of(spec), "type_label": TYPE_LABELS.get(
                spec["type"], spec["type"]),
            "choices_shown": [choice_label(spec, c["value"]) for c in spec.get("choices", [])],
            "inherited": spec.get("defined_in") != code,
        } for spec in ci_class.effective_attributes]  # type: ignore[attr-defined]
        rows.append({"ci_class": ci_class, "depth": len(indented) - len(indented.lstrip("\u2003")),
                     "attributes": attributes})
    return rows


@staff_required
def classes(request: HttpRequest) -> HttpResponse:
    """The class tree with every class's own and inherited attribute definitions."""
    return _classes_page(request)


def _classes_page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    can_manage = permissions.can_manage_classes(request.user)
    choices = class_choices(request.user)
    blank: dict[str, Any] = {
        "class_form": ClassCreateForm(classes=choices) if can_manage else None,
        "attribute_form": AttributeForm(classes=choices, initial={
            "ci_class": request.GET.get("class", "")}) if can_manage else None,
    }
    return render_page(request, "console/cmdb/classes.html", {
        "rows": _class_rows(request.user), "can_manage": can_manage, **blank, **forms,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def class_add(request: HttpRequest) -> HttpResponseBase:
    """``class_create`` (administrators)."""
    if not permissions.can_manage_classes(request.user):
        raise PermissionDenied
    form = ClassCreateForm(request.POST, classes=class_choices(request.user))
    if not form.is_valid():
        return _classes_page(request, status=422, class_form=form)
    data = form.cleaned_data
    try:
        created = services.class_create(
            actor=request.user, code=data["code"].strip(), name=data["name"].strip(),
            name_en=data["name_en"].strip(),
            parent=CiClass.objects.filter(code=data["parent"]).first() if data["parent"]
            else None,
            under_change_control=data["under_change_control"],
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _classes_page(request, status=_status(exc), class_form=form)
    messages.success(request, _("The class %(code)s was added.") % {"code": created.code})
    return redirect(f"{reverse('console:cmdb_classes')}?class={created.code}#add-attribute")


@require_POST
@staff_required
def attribute_add(request: HttpRequest) -> HttpResponseBase:
    """Add an attribute to a class, or redefine one of its own (``class_set_attributes``):
    an inherited key cannot be redefined and a key keeps its type."""
    if not permissions.can_manage_classes(request.user):
        raise PermissionDenied
    form = AttributeForm(request.POST, classes=class_choices(request.user))
    if not form.is_valid():
        return _classes_page(request, status=422, attribute_form=form)
    ci_class = CiClass.objects.get(code=form.cleaned_data["ci_class"])
    spec = form.definition()
    own = [dict(s) for s in ci_class.attributes]
    old = next((s for s in own if s["key"] == spec["key"]), None)
    attributes = [spec if s is old else s for s in own] if old else [*own, spec]
    try:
        services.class_set_attributes(actor=request.user, ci_class=ci_class,
                                      attributes=attributes)
    except DomainError as exc:
        if exc.field == "attributes" and old is not None and old["type"] != spec["type"]:
            form.add_error("type", exc.message)
        else:
            form.add_domain_error(exc)
        return _classes_page(request, status=_status(exc), attribute_form=form)
    messages.success(request, _("%(key)s was saved on %(cls)s.") % {
        "key": spec["key"], "cls": ci_class.display_name()})
    return redirect(f"{reverse('console:cmdb_classes')}#class-{ci_class.code}")


@staff_required
def class_edit(request: HttpRequest, code: str) -> HttpResponse:
    """``class_update`` (administrators): names, description, parent, change control, in use."""
    if not permissions.can_manage_classes(request.user):
        raise PermissionDenied
    ci_class = selectors.class_get_for(user=request.user, code=code)
    choices = [c for c in class_choices(request.user) if c[0] != ci_class.code]
    initial = {
        "name": ci_class.name, "name_en": ci_class.name_en, "description": ci_class.description,
        "parent": ci_class.parent.code if ci_class.parent else "",
        "under_change_control": ci_class.under_change_control, "is_active": ci_class.is_active,
    }
    form = ClassEditForm(request.POST or None, initial=initial, classes=choices)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            changes: dict[str, Any] = {
                k: data[k] for k in ClassEditForm.FIELDS if k != "parent" and data[k] != initial[k]
            }
            if data["parent"] != initial["parent"]:
                changes["parent"] = (
                    CiClass.objects.filter(code=data["parent"]).first() if data["parent"] else None
                )
            try:
                services.class_update(actor=request.user, ci_class=ci_class, changes=changes)
            except DomainError as exc:
                form.add_domain_error(exc)
                status = _status(exc)
            else:
                messages.success(request, _("The class %(code)s was saved.") % {
                    "code": ci_class.code})
                return redirect(f"{reverse('console:cmdb_classes')}#class-{ci_class.code}")
    return render_page(request, "console/cmdb/class_edit.html", {
        "ci_class": ci_class, "form": form,
    }, section="cmdb", status=status)


@require_POST
@staff_required
def attribute_remove(request: HttpRequest, code: str, key: str) -> HttpResponseBase:
    """Remove one of a class's own attributes (``class_set_attributes``); CIs drop the value
    at their next attribute edit. An inherited key is removed on the class defining it."""
    if not permissions.can_manage_classes(request.user):
        raise PermissionDenied
    ci_class = selectors.class_get_for(user=request.user, code=code)
    own = [dict(s) for s in ci_class.attributes]
    if not any(s["key"] == key for s in own):
        raise Http404
    try:
        services.class_set_attributes(
            actor=request.user, ci_class=ci_class, attributes=[s for s in own if s["key"] != key]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(key)s was removed from %(cls)s.") % {
            "key": key, "cls": ci_class.display_name()})
    return redirect(f"{reverse('console:cmdb_classes')}#class-{ci_class.code}")
