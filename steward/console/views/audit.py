"""The audit log for auditors and administrators, and the chain verification."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from steward.audit.selectors import audit_object_types
from steward.audit.services import audit_verify
from steward.console.access import render_page, staff_required, wants_partial
from steward.console.forms import AuditFilterForm
from steward.identity.selectors import audit_log_for, audit_log_require_reader

PAGE_SIZE = 50


def _audit_page(request: HttpRequest, **extra: Any) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types())
    action = object_type = ""
    if form.is_valid():
        action, object_type = form.cleaned_data["action"].strip(), form.cleaned_data["object_type"]
    before = request.GET.get("before", "")
    log = audit_log_for(user=request.user, action=action, object_type=object_type)
    if before.isdigit():
        log = log.filter(seq__lt=int(before))
    entries = list(log[:PAGE_SIZE])
    return render_page(
        request,
        "console/audit.html",
        {
            "filter_form": form,
            "entries": entries,
            "older_than": entries[-1].seq if len(entries) == PAGE_SIZE else None,
            **extra,
        },
        section="audit",
    )


@staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    return _audit_page(request)


@staff_required
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """Recompute the hash chain; htmx gets the result fragment, a plain POST the whole page."""
    audit_log_require_reader(user=request.user)
    verification = audit_verify()
    if wants_partial(request):
        return render_page(
            request,
            "console/_audit_verify.html",
            {"verification": verification},
            partial="console/_audit_verify.html",
        )
    return _audit_page(request, verification=verification)
