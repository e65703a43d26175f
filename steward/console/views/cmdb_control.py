"""Configuration control in the console: the queue of unauthorised changes, baselines (take
one over a scope, compare two or one with now) and configuration audits (runs, findings,
corrective actions). Reads through ``cmdb.selectors``, writes through ``cmdb.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from steward.cmdb import permissions, selectors, services
from steward.cmdb.models import CiEnvironment, CiStatus, FindingStatus
from steward.console.access import render_page, staff_required
from steward.console.views.cmdb import class_choices, team_choices
from steward.core.errors import DomainError
from steward.core.views import add_domain_error
from steward.identity.models import Team

PAGE_SIZE = 50


class ReviewForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Review note"), max_length=500, required=False)
    change_number = forms.CharField(label=gettext_lazy("Change record"), max_length=32,
                                    required=False,
                                    help_text=gettext_lazy("A change record raised after the "
                                                           "fact, e.g. CHG-000123."))


@staff_required
def unauthorised(request: HttpRequest) -> HttpResponse:
    """Unauthorised changes waiting for review (``?reviewed=1``: those already reviewed)."""
    reviewed = request.GET.get("reviewed") == "1"
    changes = selectors.unauthorised_changes_for(user=request.user, reviewed=reviewed)
    page_obj = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "console/cmdb/unauthorised.html", {
        "page_obj": page_obj, "reviewed": reviewed, "form": ReviewForm(),
        "can_review": permissions.can_review_changes(request.user),
    }, section="cmdb")


@require_POST
@staff_required
def change_review(request: HttpRequest, change_id: int) -> HttpResponseBase:
    """``change_review`` with a note and, optionally, the change record raised afterwards."""
    change = selectors.change_get_for(user=request.user, change_id=change_id)
    if not permissions.can_review_changes(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.change_review(
                actor=request.user, change=change, note=form.cleaned_data["note"],
                change_number=form.cleaned_data["change_number"] or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The change of %(ci)s was reviewed.")
                             % {"ci": change.ci.ci_id})
    return redirect("console:cmdb_unauthorised")


class ScopeForm(forms.Form):
    """A baseline or audit scope: class (with subclasses), site, team, status, environment,
    and/or a list of CI ids."""

    ci_class = forms.ChoiceField(label=gettext_lazy("Class"), required=False)
    site = forms.CharField(label=gettext_lazy("Site"), required=False, max_length=32,
                           help_text=gettext_lazy("Site code, e.g. S0001"))
    team = forms.ChoiceField(label=gettext_lazy("Support team"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", "—"), *CiStatus.choices])
    environment = forms.ChoiceField(label=gettext_lazy("Environment"), required=False,
                                    choices=[("", "—"), *CiEnvironment.choices])
    ci_ids = forms.CharField(label=gettext_lazy("CI ids"), required=False, max_length=4000,
                             help_text=gettext_lazy("Separated by spaces or commas."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("ci_class", class_choices(user)), ("team", team_choices(user))):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "—"), *choices]

    def scope(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        ids = data.pop("ci_ids", "").replace(",", " ").upper().split()
        return {k: v for k, v in data.items() if k in ScopeForm.base_fields and v} | (
            {"ci_ids": ids} if ids else {}
        )


class BaselineForm(ScopeForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=48)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["code", "name", "description"]


@staff_required
def baselines(request: HttpRequest) -> HttpResponse:
    """Every baseline; administrators and change managers take a new one over a scope."""
    can_manage = permissions.can_manage_baselines(request.user)
    form = BaselineForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                baseline = services.baseline_create(
                    actor=request.user, code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"], scope=form.scope(),
                    description=form.cleaned_data["description"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Baseline %(code)s taken.") % {"code": baseline.code})
                return redirect("console:cmdb_baseline", code=baseline.code)
        status = 422
    return render_page(request, "console/cmdb/baselines.html", {
        "baselines": selectors.baseline_list_for(user=request.user).order_by("-taken_at"),
        "form": form if can_manage else None,
    }, section="cmdb", status=status)


@staff_required
def baseline(request: HttpRequest, code: str) -> HttpResponse:
    """A baseline and its comparison: with another baseline (``?to=CODE``) or with now."""
    left = selectors.baseline_get_for(user=request.user, code=code)
    to = request.GET.get("to", "").strip()
    right = selectors.baseline_get_for(user=request.user, code=to) if to else None
    comparison = selectors.baseline_compare(user=request.user, left=left, right=right)
    others = selectors.baseline_list_for(user=request.user).exclude(pk=left.pk).order_by("code")
    return render_page(request, "console/cmdb/baseline.html", {
        "baseline": left, "right": right, "comparison": comparison, "others": others,
    }, section="cmdb")


class AuditForm(ScopeForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=48)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    first_due = forms.DateField(label=gettext_lazy("First due"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    interval_days = forms.IntegerField(label=gettext_lazy("Interval (days)"), min_value=1,
                                       initial=90)
    baseline = forms.CharField(label=gettext_lazy("Baseline to compare with"), required=False,
                               max_length=48)
    stale_after_days = forms.IntegerField(
        label=gettext_lazy("Flag CIs not seen by discovery for (days)"), required=False,
        min_value=1,
    )
    audit_team = forms.ChoiceField(label=gettext_lazy("Team acting on findings"),
                                   required=False)
    field_order = ["code", "name", "first_due", "interval_days", "baseline",
                   "stale_after_days", "audit_team"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["audit_team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *team_choices(user)]


@staff_required
def audits(request: HttpRequest) -> HttpResponse:
    """Configuration audits with their next due date and open findings; plan a new one."""
    can_manage = permissions.can_manage_baselines(request.user)
    form = AuditForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                audit = services.audit_create(
                    actor=request.user, code=data["code"], name=data["name"],
                    scope=form.scope(), first_due=data["first_due"],
                    interval_days=data["interval_days"],
                    baseline=selectors.baseline_get_for(user=request.user,
                                                        code=data["baseline"])
                    if data["baseline"] else None,
                    stale_after_days=data["stale_after_days"],
                    support_team=Team.objects.get(code=data["audit_team"])
                    if data["audit_team"] else None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Audit %(code)s planned.") % {"code": audit.code})
                return redirect("console:cmdb_audit", code=audit.code)
        status = 422
    return render_page(request, "console/cmdb/audits.html", {
        "audits": selectors.audit_list_for(user=request.user).order_by("next_due", "code"),
        "form": form if can_manage else None,
    }, section="cmdb", status=status)


@staff_required
def audit(request: HttpRequest, code: str) -> HttpResponse:
    """An audit: its runs, its findings (``?status=``) and their corrective actions."""
    found = selectors.audit_get_for(user=request.user, code=code)
    wanted = request.GET.get("status", "")
    findings = selectors.finding_list_for(
        user=request.user, audit=found,
        status=wanted if wanted in FindingStatus.values else "",
    ).order_by("-run__ran_at", "ci__ci_id")
    return render_page(request, "console/cmdb/audit.html", {
        "audit": found, "runs": found.runs.order_by("-ran_at")[:20],
        "page_obj": Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": FindingStatus.choices, "wanted": wanted,
        "can_run": permissions.can_manage_baselines(request.user),
        "can_act": permissions.can_act_on_finding(request.user, found.support_team_id),
    }, section="cmdb")


@require_POST
@staff_required
def audit_run(request: HttpRequest, code: str) -> HttpResponseBase:
    found = selectors.audit_get_for(user=request.user, code=code)
    try:
        run = services.audit_run_now(actor=request.user, audit=found)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext(
            "The audit ran: %(n)d finding.", "The audit ran: %(n)d findings.", run.finding_count,
        ) % {"n": run.finding_count})
    return redirect("console:cmdb_audit", code=found.code)


class FindingActForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Corrective action"), required=False,
                           max_length=2000)
    action_due = forms.DateField(label=gettext_lazy("Due"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


@require_POST
@staff_required
def finding_act(request: HttpRequest, finding_id: int, action: str) -> HttpResponseBase:
    """``plan_action``, ``resolve`` or ``accept`` a finding (``finding_act``)."""
    finding = selectors.finding_get_for(user=request.user, finding_id=finding_id)
    form = FindingActForm(request.POST)
    if form.is_valid():
        try:
            services.finding_act(actor=request.user, finding=finding, action=action,
                                 note=form.cleaned_data["note"],
                                 action_due=form.cleaned_data["action_due"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The finding was updated."))
    return redirect("console:cmdb_audit", code=finding.run.audit.code)
