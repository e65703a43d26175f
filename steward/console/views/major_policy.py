"""The major-incident criteria and schedule in the console: staff read them, administrators
change them. Thin: the form parses, ``selectors_major`` reads, ``major_policy_update`` writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from steward.console.access import render_page, staff_required
from steward.core.errors import DomainError
from steward.core.views import add_domain_error
from steward.identity import permissions
from steward.incidents import selectors_major
from steward.incidents.forms_major_policy import MajorPolicyForm
from steward.incidents.services import major_policy
from steward.incidents.services.major_policy import POLICY_FIELDS


@staff_required
def major_policy_page(request: HttpRequest) -> HttpResponse:
    policy = selectors_major.major_policy()
    can_edit = permissions.is_admin(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial = {name: getattr(policy, name) for name in POLICY_FIELDS}
    initial["management"] = (
        [] if policy._state.adding else list(policy.management.values_list("pk", flat=True))
    )
    form = MajorPolicyForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        people=selectors_major.management_choices(policy),
    )
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            people = selectors_major.people_by_id(data["management"])
            try:
                major_policy.major_policy_update(
                    actor=request.user,
                    changes={name: data[name] for name in POLICY_FIELDS},
                    management=[people[pk] for pk in data["management"] if pk in people],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The major-incident policy was saved."))
                return redirect("console:major_policy")
        status = 422
    return render_page(
        request,
        "console/incidents/major_policy.html",
        {"form": form, "policy": policy, "can_edit": can_edit},
        section="incidents",
        status=status,
    )
