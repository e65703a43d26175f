"""The generic record pages' shared view code: the timeline fragment, attachment upload and
download. The console and the portal wrap these with their own access rule and page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from steward.audit.selectors import audit_entries_for_record
from steward.core.errors import DomainError, NotPermitted
from steward.core.htmx import render_page, wants_partial
from steward.core.views import add_domain_error
from steward.workitems import selectors, services
from steward.workitems.forms import AttachmentForm
from steward.workitems.models import WorkItem

ContextBuilder = Callable[[HttpRequest, WorkItem, AttachmentForm | None], dict[str, Any]]


def timeline_fragment(request: HttpRequest, number: str, *, page: str) -> HttpResponse:
    """The timeline partial for htmx; a plain visit goes to the record page ``page``."""
    found = selectors.record_get_for(user=request.user, number=number)
    if not wants_partial(request):
        return redirect(reverse(page, args=[found.number]) + "#timeline")
    return render_page(request, "records/_timeline.html", {
        "record": found, "entries": audit_entries_for_record(obj=found),
    }, partial="records/_timeline.html")


def attachment_upload(
    request: HttpRequest, number: str, *, page: str, template: str, section: str,
    context: ContextBuilder,
) -> HttpResponse:
    """Attach a file to a visible record; errors come back on the form (422, or 403)."""
    found = selectors.record_get_for(user=request.user, number=number)
    form = AttachmentForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, record=found,
                                    upload=form.cleaned_data["file"])
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 403 if isinstance(exc, NotPermitted) else 422
        else:
            if wants_partial(request):
                response = render_page(request, template, context(request, found, None),
                                       partial="records/_attachments.html")
                response["HX-Trigger"] = "steward:timeline"
                return response
            messages.success(request, _("The file was attached."))
            return redirect(page, number=found.number)
    return render_page(request, template, context(request, found, form),
                       partial="records/_attachments.html", section=section, status=status)


def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Stream a file whose record the user may see (404 otherwise)."""
    found = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename,
                        content_type=found.media_type)
