"""Portal pages of the service desk for requesters (mobile-first): report a problem, follow
it (the page polls a small fragment that answers 204 while nothing changed), reply, attach
files, confirm the resolution, reopen it within the window, or cancel.

Every write is an incident service; every read an incident selector (the same as the API).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from steward.catalogue import selectors as catalogue
from steward.catalogue.models import Service
from steward.cmdb import selectors as cmdb_selectors
from steward.core.errors import DomainError, NotPermitted
from steward.identity import permissions as identity
from steward.incidents import permissions, selectors, services
from steward.incidents.filters import IncidentFilters, IncidentQueue
from steward.incidents.forms import CommentForm, ReasonForm, ReportForm
from steward.incidents.models import Incident
from steward.portal.access import render_page, signed_in, wants_partial
from steward.satisfaction import selectors as satisfaction
from steward.satisfaction.views_public import panel_context
from steward.sla.promises import incident_promises_for
from steward.workitems import selectors as workitems
from steward.workitems import services as attachments
from steward.workitems.forms import AttachmentForm

REQUESTER_ACTIONS = ("close", "reopen", "cancel")
RECENT_SERVICES = 4
# Changes a requester reads in the conversation (the others are internal routing).
SHOWN_CHANGES = frozenset(
    {"create", "assign", "start", "hold", "resume", "resolve", "reopen", "close", "cancel"}
)


def _add_error(form: forms.Form, error: DomainError) -> None:
    """The error on its field when the form shows that field; otherwise above the form (a
    stale ``version`` is about the whole form)."""
    field = form.fields.get(error.field or "")
    shown = field is not None and not field.widget.is_hidden
    form.add_error(error.field if shown else None, error.message)

def _local_time(moment: Any) -> str:
    local = timezone.localtime(moment)
    same_day = local.date() == timezone.localdate()
    return date_format(local, "H:i" if same_day else "Y-m-d H:i")


def _response_due(user: Any, incident: Incident) -> Any:
    return next(
        (c.due_at for c in selectors.incident_clocks_for(user=user, incident=incident)
         if c.kind == "first_response" and c.state == "running" and c.due_at is not None),
        None,
    )


def _acknowledgement(user: Any, incident: Incident) -> str:
    due = _response_due(user, incident)
    if due is None:
        return _("%(number)s received; the service desk will get back to you.") % {
            "number": incident.number}
    return _("%(number)s received; an engineer will respond by %(time)s.") % {
        "number": incident.number, "time": _local_time(due)}


def _recent_services(user: Any) -> list[Service]:
    """Services the person reported problems on lately (newest first, no repeats)."""
    found: list[Service] = []
    mine = selectors.incident_list_for(
        user=user, filters=IncidentFilters(queue=IncidentQueue.RAISED_BY_ME)
    ).filter(service__isnull=False)[:20]
    for incident in mine:
        if incident.service is not None and incident.service not in found:
            found.append(incident.service)
    return found[:RECENT_SERVICES]


@signed_in
def report(request: HttpRequest, code: str = "") -> HttpResponse:
    """Report a problem, on a service (from its catalogue page) or on none."""
    service = catalogue.service_get_for(user=request.user, code=code) if code else None
    cis = cmdb_selectors.cis_at_hand_for(person=request.user, service=service)
    form = ReportForm(request.POST or None, request.FILES or None, cis=cis)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            incident = _report_submit(request, form, service, cis)
            if incident is not None:
                messages.success(request, _acknowledgement(request.user, incident))
                return redirect("portal:record", number=incident.number)
    promise = (
        incident_promises_for(person=request.user, services=[service]).get(service.pk)
        if service is not None else None
    )
    return render_page(request, "portal/incident_report.html", {
        "form": form, "service": service, "promise": promise,
        "recent_services": [] if service else _recent_services(request.user),
        "popular": [] if service else catalogue.popular_items_for(user=request.user, limit=4),
    }, section="report", status=status)


def _report_submit(
    request: HttpRequest, form: ReportForm, service: Any, cis: list[Any]
) -> Incident | None:
    """Raise the incident and attach the file in one transaction: a refused file leaves no
    half-reported incident behind. ``cis``: the items offered, one of which the form took."""
    data = form.cleaned_data
    chosen = next((ci for ci in cis if ci.ci_id == data.get("ci")), None)
    try:
        with transaction.atomic():
            incident = services.incident_create(
                actor=request.user, title=data["title"], description=data["description"],
                service=service, urgency=data["urgency"], channel="portal",
                ci=chosen,
            )
            if data.get("file"):
                attachments.attachment_add(actor=request.user, record=incident,
                                           upload=data["file"])
    except DomainError as exc:
        _add_error(form, exc)
        return None
    return incident


def _stamp(incident: Incident) -> str:
    """Changes whenever the requester's view of the incident may change."""
    return f"{incident.version}.{incident.updated_at.timestamp():.6f}"


def _conversation(user: Any, incident: Incident) -> list[Any]:
    return [
        item for item in selectors.incident_timeline_for(user=user, incident=incident)
        if item.kind == "comment" or item.action in SHOWN_CHANGES
    ]


def reopen_until(incident: Incident) -> Any:
    """The end of the reopen window of a resolved incident (the rule ``incident_reopen``
    enforces), or None when it is not resolved."""
    if incident.resolved_at is None:
        return None
    return incident.resolved_at + timedelta(days=selectors.incident_policy().reopen_window_days)


def _live_context(request: HttpRequest, incident: Incident,
                  action_forms: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    user = request.user
    offered = [a for a in permissions.actions_for(user, incident) if a in REQUESTER_ACTIONS]
    until = reopen_until(incident) if "reopen" in offered else None
    if until is not None and timezone.now() > until:
        offered.remove("reopen")  # the window has passed: the service would refuse
    action_forms = action_forms or {}
    # A refused action that is no longer offered still shows why it was refused.
    offered += [name for name in action_forms if name not in offered]
    return {
        "incident": incident,
        "stamp": _stamp(incident),
        "clocks": selectors.incident_clocks_for(user=user, incident=incident),
        "conversation": _conversation(user, incident),
        "actions": offered,
        "reopen_until": until,
        "reopen_form": action_forms.get("reopen") or ReasonForm(prefix="reopen"),
        "cancel_form": action_forms.get("cancel") or ReasonForm(prefix="cancel"),
        "confirm_form": action_forms.get("close"),
        # The requester's satisfaction survey once the incident is resolved.
        **panel_context(satisfaction.current_survey_for(user=user, record=incident)),
    }


def _reply_form(data: Any = None) -> CommentForm:
    form = CommentForm(data, prefix="reply")
    del form.fields["public"]  # requesters only reply publicly
    return form


def incident_page(request: HttpRequest, incident: Incident, *, status: int = 200,
                  reply_form: CommentForm | None = None,
                  action_forms: dict[str, forms.Form] | None = None,
                  attachment_form: AttachmentForm | None = None) -> HttpResponse:
    """The requester's page of one incident (``portal:record`` shows it for INC numbers)."""
    user = request.user
    return render_page(request, "portal/incident.html", {
        **_live_context(request, incident, action_forms),
        "can_reply": permissions.can_comment(user, incident, public=True),
        "reply_form": reply_form or _reply_form(),
        "record": incident,
        "attachments": workitems.attachments_for(record=incident).select_related("uploaded_by"),
        "attachment_form": attachment_form or AttachmentForm(),
        "can_upload": identity.can_write(user) and incident.is_open,
        "upload_url": reverse("portal:record_attachments", args=[incident.number]),
        "download_url_name": "portal:attachment",
    }, section="records", status=status)


@signed_in
def incident_live(request: HttpRequest, number: str) -> HttpResponse:
    """The polled fragment: 204 while the incident is as the page shows it (``stamp``)."""
    incident = selectors.incident_get_for(user=request.user, number=number)
    if not wants_partial(request):
        return redirect("portal:record", number=incident.number)
    if request.GET.get("stamp") == _stamp(incident):
        return HttpResponse(status=204)
    return render_page(request, "portal/_incident_live.html",
                       _live_context(request, incident), partial="portal/_incident_live.html")


def _done(request: HttpRequest, incident: Incident, message: str) -> HttpResponse:
    """After a successful action: the live fragment for htmx, else back to the page."""
    if wants_partial(request):
        fresh = selectors.incident_get_for(user=request.user, number=incident.number)
        return render_page(request, "portal/_incident_live.html",
                           _live_context(request, fresh), partial="portal/_incident_live.html")
    messages.success(request, message)
    return redirect("portal:record", number=incident.number)


def _refused(request: HttpRequest, incident: Incident, form: forms.Form, *, template: str,
             target: str, exc: DomainError | None, **page: Any) -> HttpResponse:
    """A form with its errors: the form alone for htmx (retargeted), else the whole page."""
    status = 403 if isinstance(exc, NotPermitted) else 422
    if wants_partial(request):
        response = render_page(request, template, {"incident": incident, "form": form},
                               partial=template, status=status)
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "outerHTML"
        return response
    return incident_page(request, incident, status=status, **page)


@signed_in
@require_POST
def incident_reply(request: HttpRequest, number: str) -> HttpResponse:
    incident = selectors.incident_get_for(user=request.user, number=number)
    form = _reply_form(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.incident_comment(actor=request.user, incident=incident,
                                      body=form.cleaned_data["body"], public=True)
        except DomainError as exc:
            _add_error(form, exc)
            error = exc
        else:
            return _done(request, incident, _("Your message was sent."))
    return _refused(request, incident, form, template="portal/_incident_reply_form.html",
                    target="#reply-form", exc=error, reply_form=form)


@signed_in
@require_POST
def incident_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """The requester confirms the resolution: the incident closes."""
    incident = selectors.incident_get_for(user=request.user, number=number)
    try:
        services.incident_close(actor=request.user, incident=incident)
    except DomainError as exc:
        form = forms.Form(data={})
        form.is_valid()
        _add_error(form, exc)
        return _refused(request, incident, form, template="portal/_incident_confirm_form.html",
                        target="#confirm-form", exc=exc, action_forms={"close": form})
    return _done(request, incident, _("Thank you for confirming."))


def _reason_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    incident = selectors.incident_get_for(user=request.user, number=number)
    form = ReasonForm(request.POST, prefix=action)
    error: DomainError | None = None
    if form.is_valid():
        service = services.incident_reopen if action == "reopen" else services.incident_cancel
        try:
            service(actor=request.user, incident=incident, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _add_error(form, exc)
            error = exc
        else:
            done = _("Reopened.") if action == "reopen" else _("Cancelled.")
            return _done(request, incident, done)
    return _refused(request, incident, form, template=f"portal/_incident_{action}_form.html",
                    target=f"#{action}-form", exc=error, action_forms={action: form})


@signed_in
@require_POST
def incident_reopen(request: HttpRequest, number: str) -> HttpResponse:
    return _reason_action(request, number, "reopen")


@signed_in
@require_POST
def incident_cancel(request: HttpRequest, number: str) -> HttpResponse:
    return _reason_action(request, number, "cancel")
