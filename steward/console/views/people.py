"""The people directory and a person's page; administrators edit through identity services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.console.access import render_page, staff_required
from steward.core.errors import DomainError, NotPermitted
from steward.core.views import add_domain_error
from steward.identity import selectors, services
from steward.identity.forms import PersonEditForm, PersonRolesForm
from steward.identity.models import NotificationChannelKind, Person

PAGE_SIZE = 50


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = (
        selectors.person_list_for(user=request.user, query=query)
        .select_related("department", "site")
        .prefetch_related("teams")
    )
    page_obj = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "console/people.html", {"query": query, "page_obj": page_obj},
                       partial="console/_people_rows.html", section="people")


def _edit_form(request: HttpRequest, person: Person, data: Any = None) -> PersonEditForm:
    return PersonEditForm(
        data, initial=PersonEditForm.initial_for(person),
        departments=selectors.department_list_for(user=request.user),
        sites=selectors.site_list_for(user=request.user),
        people=selectors.person_list_for(user=request.user),
    )


def _person_page(
    request: HttpRequest, person: Person, *, status: int = 200,
    edit_form: PersonEditForm | None = None, roles_form: PersonRolesForm | None = None,
    account_form: forms.Form | None = None,
) -> HttpResponse:
    person = selectors.person_get_for(user=request.user, person_id=person.pk)
    held = {grant.role for grant in person.role_grants.all()}
    return render_page(request, "console/person.html", {
        "person": person,
        "role_labels": [grant.get_role_display() for grant in person.role_grants.all()],
        "teams": person.teams.all(),
        "channels": [
            NotificationChannelKind(kind).label for kind in person.notification_channels
            if kind in NotificationChannelKind.values
        ],
        "edit_form": edit_form or _edit_form(request, person),
        "roles_form": roles_form or PersonRolesForm(initial={"roles": sorted(held)}),
        "account_form": account_form or forms.Form(),
    }, section="people", status=status)


def _account_error(error: DomainError) -> forms.Form:
    """An empty form carrying ``error``, for the deactivate and unlock buttons."""
    form = forms.Form({})
    form.is_valid()
    add_domain_error(form, error)
    return form


def _error_status(error: DomainError) -> int:
    return 403 if isinstance(error, NotPermitted) else 422


@staff_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, selectors.person_get_for(user=request.user, person_id=person_id))


@staff_required
@require_POST
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    target = selectors.person_get_for(user=request.user, person_id=person_id)
    form = _edit_form(request, target, request.POST)
    if form.is_valid():
        try:
            services.person_update(actor=request.user, person=target, changes=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _person_page(request, target, edit_form=form, status=_error_status(exc))
        messages.success(request, _("The details were saved."))
        return redirect("console:person", person_id=target.pk)
    return _person_page(request, target, edit_form=form, status=422)


@staff_required
@require_POST
def person_roles(request: HttpRequest, person_id: int) -> HttpResponse:
    target = selectors.person_get_for(user=request.user, person_id=person_id)
    form = PersonRolesForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_roles(actor=request.user, person=target,
                                      roles=form.cleaned_data["roles"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return _person_page(request, target, roles_form=form, status=_error_status(exc))
        messages.success(request, _("The roles were saved."))
        return redirect("console:person", person_id=target.pk)
    return _person_page(request, target, roles_form=form, status=422)


@staff_required
@require_POST
def person_deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    target = selectors.person_get_for(user=request.user, person_id=person_id)
    try:
        services.person_deactivate(actor=request.user, person=target)
    except DomainError as exc:
        return _person_page(request, target, account_form=_account_error(exc),
                            status=_error_status(exc))
    messages.success(request, _("%(name)s was deactivated.") % {"name": target})
    return redirect("console:person", person_id=target.pk)


@staff_required
@require_POST
def person_unlock(request: HttpRequest, person_id: int) -> HttpResponse:
    target = selectors.person_get_for(user=request.user, person_id=person_id)
    try:
        services.person_unlock(actor=request.user, person=target)
    except DomainError as exc:
        return _person_page(request, target, account_form=_account_error(exc),
                            status=_error_status(exc))
    messages.success(request, _("%(name)s can sign in again.") % {"name": target})
    return redirect("console:person", person_id=target.pk)
