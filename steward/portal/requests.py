"""Portal pages of service requests for requesters (mobile-first): the request form rendered
from the item's form definition, the request's page with its live progress (the page polls a
small fragment that answers 204 while nothing changed), cancel and close.

Every write is a fulfilment service; every read a fulfilment selector (the same as the API).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.catalogue import selectors as catalogue
from steward.core.errors import DomainError
from steward.fulfilment import permissions, selectors, services
from steward.fulfilment.forms import CommentForm, RequestForm, TextForm
from steward.fulfilment.models import TERMINAL_STATUSES, ServiceRequest
from steward.identity import permissions as identity
from steward.portal.access import render_page, signed_in, wants_partial
from steward.satisfaction import selectors as satisfaction
from steward.satisfaction.views_public import panel_context
from steward.sla.models import AgreementKind
from steward.sla.selectors import clocks_for_record
from steward.workitems import selectors as workitems
from steward.workitems.forms import AttachmentForm

REQUESTER_ACTIONS = ("cancel", "close")


def _add_error(form: forms.Form, error: DomainError) -> None:
    shown = error.field in form.fields if error.field else False
    form.add_error(error.field if shown else None, error.message)


def _acknowledgement(request: ServiceRequest) -> str:
    due = next((c.due_at for c in clocks_for_record(record=request)
                if c.kind == "fulfilment" and c.state == "running" and c.due_at), None)
    if request.status == "awaiting_approval":
        return _("%(number)s received; it now waits for approval.") % {"number": request.number}
    if due is None:
        return _("%(number)s received; we are on it.") % {"number": request.number}
    return _("%(number)s received; we promise to deliver by %(time)s.") % {
        "number": request.number, "time": date_format(timezone.localtime(due), "Y-m-d H:i")}


@signed_in
def request_new(request: HttpRequest, code: str) -> HttpResponse:
    """Ask for a catalogue item: its form, built from the item's current version."""
    item = catalogue.request_item_get_for(user=request.user, code=code)
    version = item.current
    if version is None or not item.is_active:
        messages.error(request, _("This item can no longer be requested."))
        return redirect("portal:service", code=item.service.code)
    form = RequestForm(request.POST or None, request.FILES or None, version=version)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created = services.request_submit(
                    actor=request.user, item=item, answers=form.answers(),
                    uploads=form.uploads(), description=form.cleaned_data["note"],
                    channel="portal",
                )
            except DomainError as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _acknowledgement(created))
                return redirect("portal:record", number=created.number)
    return render_page(request, "portal/request_new.html", {
        "item": item, "version": version, "form": form,
    }, section="catalogue", status=status)


def _stamp(sr: ServiceRequest) -> str:
    """Changes whenever the requester's view may change: the request, a task or an approval."""
    tasks = sr.tasks.aggregate(n=Sum("version"))["n"] or 0
    decided = sr.approvals.exclude(state="pending").count()
    return f"{sr.version}.{sr.updated_at.timestamp():.6f}.{tasks}.{decided}"


def _live_context(request: HttpRequest, sr: ServiceRequest,
                  action_forms: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    offered = [a for a in permissions.actions_for(request.user, sr) if a in REQUESTER_ACTIONS]
    action_forms = action_forms or {}
    offered += [name for name in action_forms if name not in offered]
    return {
        "sr": sr,
        "stamp": _stamp(sr),
        "approvals": selectors.approvals_of(sr),
        "tasks": selectors.tasks_of(sr),
        "clocks": [c for c in clocks_for_record(record=sr)
                   if c.agreement.kind == AgreementKind.SLA],
        "actions": offered,
        "cancel_form": action_forms.get("cancel") or TextForm(prefix="cancel"),
        "conversation": selectors.comments_for(user=request.user, request=sr),
        # The requester's satisfaction survey once the request is fulfilled.
        **panel_context(satisfaction.current_survey_for(user=request.user, record=sr)),
    }


def _reply_form(data: Any = None) -> CommentForm:
    form = CommentForm(data, prefix="reply")
    del form.fields["public"]  # requesters only write public messages
    return form


def request_page(request: HttpRequest, sr: ServiceRequest, *, status: int = 200,
                 action_forms: dict[str, forms.Form] | None = None,
                 reply_form: CommentForm | None = None) -> HttpResponse:
    """The requester's page of one request (``portal:record`` shows it for REQ numbers)."""
    return render_page(request, "portal/request.html", {
        **_live_context(request, sr, action_forms),
        "record": sr,
        "answers": selectors.answers_shown(sr),
        "can_reply": permissions.can_comment(request.user, sr, public=True)
        and sr.status not in TERMINAL_STATUSES,
        "reply_form": reply_form or _reply_form(),
        "attachments": workitems.attachments_for(record=sr).select_related("uploaded_by"),
        "attachment_form": AttachmentForm(),
        "can_upload": identity.can_write(request.user) and sr.is_open,
        "upload_url": reverse("portal:record_attachments", args=[sr.number]),
        "download_url_name": "portal:attachment",
    }, section="records", status=status)


@signed_in
def request_live(request: HttpRequest, number: str) -> HttpResponse:
    """The polled fragment: 204 while the request is as the page shows it (``stamp``)."""
    sr = selectors.request_get_for(user=request.user, number=number)
    if not wants_partial(request):
        return redirect("portal:record", number=sr.number)
    if request.GET.get("stamp") == _stamp(sr):
        return HttpResponse(status=204)
    return render_page(request, "portal/_request_live.html", _live_context(request, sr),
                       partial="portal/_request_live.html")


def _after(request: HttpRequest, sr: ServiceRequest, message: str) -> HttpResponse:
    if wants_partial(request):
        fresh = selectors.request_get_for(user=request.user, number=sr.number)
        return render_page(request, "portal/_request_live.html",
                           _live_context(request, fresh), partial="portal/_request_live.html")
    messages.success(request, message)
    return redirect("portal:record", number=sr.number)


@signed_in
@require_POST
def request_cancel(request: HttpRequest, number: str) -> HttpResponse:
    sr = selectors.request_get_for(user=request.user, number=number)
    form = TextForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.request_cancel(actor=request.user, request=sr,
                                    reason=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _after(request, sr, _("Cancelled."))
    return request_page(request, sr, status=422, action_forms={"cancel": form})


@signed_in
@require_POST
def request_close(request: HttpRequest, number: str) -> HttpResponse:
    sr = selectors.request_get_for(user=request.user, number=number)
    try:
        services.request_close(actor=request.user, request=sr)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:record", number=sr.number)
    return _after(request, sr, _("Thank you for confirming."))


@signed_in
@require_POST
def request_reply(request: HttpRequest, number: str) -> HttpResponse:
    sr = selectors.request_get_for(user=request.user, number=number)
    form = _reply_form(request.POST)
    if form.is_valid():
        try:
            services.request_comment(actor=request.user, request=sr,
                                     body=form.cleaned_data["body"], public=True)
        except DomainError as exc:
            form.add_error("body" if exc.field == "body" else None, exc.message)
        else:
            return _after(request, sr, _("Your message was sent."))
    return request_page(request, sr, status=422, reply_form=form)
