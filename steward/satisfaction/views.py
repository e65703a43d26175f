"""Console pages: complaints (list, page, actions, notes) and CSAT tables with CSV/XLSX
export. Thin: selectors decide visibility (404), services write."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.core.errors import DomainError
from steward.core.htmx import login_redirect, render_page
from steward.core.views import add_domain_error
from steward.identity import permissions as identity
from steward.satisfaction import csat, exports, permissions, selectors, services
from steward.satisfaction.forms import (
    ComplaintActionForm,
    ComplaintAssignForm,
    ComplaintNoteForm,
    CsatForm,
)
from steward.satisfaction.models import Complaint, ComplaintStatus

PAGE_SIZE = 50
View = Callable[..., HttpResponseBase]
ACTION_LABELS = {
    "investigate": gettext_lazy("Start investigating"),
    "resolve": gettext_lazy("Resolve"),
    "reopen": gettext_lazy("Reopen"),
    "close": gettext_lazy("Close"),
}


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return login_redirect(request)
        if not identity.is_staff_member(request.user):
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def complaint_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ComplaintStatus.values or status == "open" else ""
    found = selectors.complaint_list_for(
        user=request.user, status="" if status == "open" else status, open_only=status == "open"
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "satisfaction/complaint_list.html", {
        "can_view_csat": permissions.can_view_csat(request.user), "page": page,
        "status": status, "statuses": ComplaintStatus.choices,
    }, section="satisfaction")


def _complaint_page(request: HttpRequest, complaint: Complaint, *, status: int = 200,
                    action_form: ComplaintActionForm | None = None, failed_action: str = "",
                    note_form: ComplaintNoteForm | None = None,
                    assign_form: ComplaintAssignForm | None = None) -> HttpResponse:
    can_work = permissions.can_work_complaint(request.user, complaint)
    owners = selectors.complaint_owner_choices(user=request.user)
    return render_page(request, "satisfaction/complaint.html", {
        "complaint": complaint, "survey": complaint.survey,
        "notes": selectors.complaint_notes(complaint=complaint),
        "can_work": can_work,
        "actions": [(a, ACTION_LABELS[a]) for a in complaint.allowed_actions()] if can_work
        else [],
        "action_form": action_form or ComplaintActionForm(initial={"version": complaint.version}),
        "failed_action": failed_action,
        "note_form": note_form or ComplaintNoteForm(),
        "assign_form": assign_form or ComplaintAssignForm(
            owners=owners, initial={"version": complaint.version, "owner": complaint.owner_id}),
    }, section="satisfaction", status=status)


@staff_only
def complaint_page(request: HttpRequest, number: str) -> HttpResponse:
    return _complaint_page(request, selectors.complaint_get_for(user=request.user, number=number))


@staff_only
@require_POST
def complaint_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    form = ComplaintActionForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_act(actor=request.user, complaint=complaint, action=action,
                                   **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _complaint_page(request, complaint, action_form=form, failed_action=action,
                                   status=403 if exc.status == 403 else 422)
        messages.success(request, _("%(number)s updated.") % {"number": complaint.number})
        return redirect("satisfaction:complaint", number=complaint.number)
    return _complaint_page(request, complaint, action_form=form, failed_action=action,
                           status=422)


@staff_only
@require_POST
def complaint_note(request: HttpRequest, number: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    form = ComplaintNoteForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_note_add(actor=request.user, complaint=complaint,
                                        body=form.cleaned_data["body"])
        except DomainError as exc:
            add_domain_error(form, exc)
            return _complaint_page(request, complaint, note_form=form,
                                   status=403 if exc.status == 403 else 422)
        return redirect("satisfaction:complaint", number=complaint.number)
    return _complaint_page(request, complaint, note_form=form, status=422)


@staff_only
@require_POST
def complaint_assign(request: HttpRequest, number: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(user=request.user, number=number)
    form = ComplaintAssignForm(request.POST,
                               owners=selectors.complaint_owner_choices(user=request.user))
    if form.is_valid():
        try:
            services.complaint_assign(actor=request.user, complaint=complaint,
                                      **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return _complaint_page(request, complaint, assign_form=form,
                                   status=403 if exc.status == 403 else 422)
        messages.success(request, _("%(number)s handed over.") % {"number": complaint.number})
        return redirect("satisfaction:complaint", number=complaint.number)
    return _complaint_page(request, complaint, assign_form=form, status=422)


def _csat_query(request: HttpRequest) -> tuple[CsatForm, str, dict[str, Any]]:
    form = CsatForm(request.GET or None)
    by = (form.cleaned_data.get("by") if form.is_valid() else "") or "team"
    return form, by, form.period()


@staff_only
def csat_page(request: HttpRequest) -> HttpResponse:
    """Overall, per team, per engineer, per service and per month, for the chosen period."""
    form, by, period = _csat_query(request)
    tables = [
        (dim, label, csat.csat_table(user=request.user, by=dim, **period))
        for dim, label in csat.DIMENSIONS.items()
    ]
    return render_page(request, "satisfaction/csat.html", {
        "can_view_csat": True, "form": form, "tables": tables, "query": request.GET.urlencode(),
    }, section="satisfaction")


@staff_only
def csat_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form, by, period = _csat_query(request)
    rows = csat.csat_table(user=request.user, by=by, **period)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.csat_xlsx(rows, by),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.csat_csv(rows, by), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="csat-{by}.{fmt}"'
    return response
