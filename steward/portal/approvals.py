"""Portal pages of approvers: the approvals inbox (their own and those delegated to them for
today), deciding with a comment, delegating while away, and the page a signed link in the
approval notification opens (it asks to confirm, then decides once).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.core.errors import DomainError, NotPermitted
from steward.fulfilment import selectors, services
from steward.fulfilment.forms import DecisionForm, DelegationForm, LinkDecisionForm
from steward.identity.models import Person
from steward.portal.access import render_page, signed_in


def _inbox(request: HttpRequest, *, status: int = 200, decision_forms: dict[int, DecisionForm]
           | None = None, delegation_form: DelegationForm | None = None) -> HttpResponse:
    pending = list(selectors.approvals_pending_for(user=request.user))
    decision_forms = decision_forms or {}
    return render_page(request, "portal/approvals.html", {
        "rows": [{"approval": a, "answers": selectors.answers_shown(a.request),
                  "form": decision_forms.get(a.pk) or DecisionForm(prefix=f"a{a.pk}")}
                 for a in pending],
        "decided": selectors.approvals_decided_by(user=request.user),
        "delegations": selectors.delegations_of(user=request.user),
        "delegation_form": delegation_form or DelegationForm(),
    }, section="approvals", status=status)


@signed_in
def approvals(request: HttpRequest) -> HttpResponse:
    return _inbox(request)


@signed_in
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    approval = selectors.approval_get_for(user=request.user, approval_id=approval_id)
    form = DecisionForm(request.POST, prefix=f"a{approval.pk}")
    status = 422
    if form.is_valid():
        try:
            services.approval_decide(
                actor=request.user, approval=approval, decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            form.add_error("comment" if exc.field == "comment" else None, exc.message)
            status = 403 if isinstance(exc, NotPermitted) else 422
        else:
            messages.success(request, _("%(number)s: your decision was recorded.") % {
                "number": approval.request.number})
            return redirect("portal:approvals")
    return _inbox(request, status=status, decision_forms={approval.pk: form})


@signed_in
@require_POST
def delegation_create(request: HttpRequest) -> HttpResponse:
    form = DelegationForm(request.POST)
    if form.is_valid():
        delegate = Person.objects.filter(
            username__iexact=form.cleaned_data["delegate"].strip(), is_active=True).first()
        if delegate is None:
            form.add_error("delegate", _("No active person with this user name."))
        else:
            me = Person.objects.get(pk=request.user.pk or 0)
            try:
                services.delegation_set(
                    actor=request.user, delegator=me, delegate=delegate,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except DomainError as exc:
                target = exc.field if exc.field in form.fields else None
                form.add_error(target, exc.message)
            else:
                messages.success(request, _("Your approvals are delegated."))
                return redirect("portal:approvals")
    return _inbox(request, status=422, delegation_form=form)


@signed_in
@require_POST
def delegation_revoke(request: HttpRequest, delegation_id: int) -> HttpResponse:
    found = selectors.delegation_get_for(user=request.user, delegation_id=delegation_id)
    services.delegation_revoke(actor=request.user, delegation=found)
    messages.success(request, _("The delegation was ended."))
    return redirect("portal:approvals")


def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page of a signed approve/reject link (no sign-in: the signed link is the
    credential). A GET only shows what will happen; the POST decides."""
    try:
        approval, decision = services.approval_from_token(token)
    except DomainError as exc:
        return render_page(request, "portal/approval_link.html", {
            "error": exc.message, "code": exc.code}, status=410 if exc.code != "link_invalid"
            else 400)
    form = LinkDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_decide_by_link(token=token,
                                             comment=form.cleaned_data["comment"])
        except DomainError as exc:
            form.add_error("comment" if exc.field == "comment" else None, exc.message)
            status = 422
        else:
            return render_page(request, "portal/approval_link.html", {
                "done": True, "approval": approval, "decision": decision})
    return render_page(request, "portal/approval_link.html", {
        "approval": approval, "decision": decision, "form": form,
        "sr": approval.request, "answers": selectors.answers_shown(approval.request),
    }, status=status)
