"""The requester's side of a survey: the page behind the signed link (no sign-in) and the
rating panel on the portal record page (signed in, htmx). Thin: the services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from steward.core.errors import DomainError, ValidationFailed
from steward.core.htmx import login_redirect, render_page, wants_partial
from steward.core.views import add_domain_error
from steward.satisfaction import selectors, services
from steward.satisfaction.forms import RatingForm
from steward.satisfaction.models import RatingChannel, Survey

REFUSED_STATUS = {"survey_used": 409, "survey_void": 410, "survey_expired": 410,
                  "survey_link_invalid": 404}


def _refused(request: HttpRequest, error: DomainError, survey: Survey | None) -> HttpResponse:
    return render_page(request, "satisfaction/link_refused.html",
                       {"error": error, "code": error.code, "survey": survey},
                       status=REFUSED_STATUS.get(error.code, error.status))


def _open_survey(token: str) -> Survey:
    """The survey of the link if it can still be rated (else the domain error saying why)."""
    survey = services.survey_from_token(token)
    services.survey_check_open(survey)
    return survey


@never_cache
@require_http_methods(["GET", "POST"])
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link's page. A GET only shows the form (mail scanners follow links); the
    rating is recorded by the POST."""
    try:
        survey = _open_survey(token)
    except DomainError as exc:
        return _refused(request, exc, None)
    initial = {"rating": request.GET.get("r")} if request.GET.get("r") else None
    form = RatingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                survey = services.survey_rate_by_link(token=token, **form.cleaned_data)
            except ValidationFailed as exc:
                add_domain_error(form, exc)
            except DomainError as exc:
                return _refused(request, exc, survey)
            else:
                return render_page(request, "satisfaction/link_thanks.html", {"survey": survey})
    return render_page(request, "satisfaction/link_rate.html",
                       {"survey": survey, "form": form, "token": token}, status=status)


@require_POST
def survey_rate(request: HttpRequest, survey_id: int) -> HttpResponseBase:
    """The rating form on the portal record page (only the requester)."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    survey = selectors.survey_get_for(user=request.user, survey_id=survey_id)
    form = RatingForm(request.POST, prefix="survey")
    status = 422
    if form.is_valid():
        try:
            survey = services.survey_rate(actor=request.user, survey=survey,
                                          via=RatingChannel.PORTAL, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 403 if exc.status == 403 else 422
        else:
            status = 200
    if not wants_partial(request):
        if status == 200:
            messages.success(request, _("Thank you for your feedback."))
        else:
            reasons = (str(m) for errors in form.errors.values() for m in errors)
            messages.error(request, " ".join(reasons))
        return redirect("portal:record", number=survey.record_number)
    survey.refresh_from_db()
    return render_page(request, "satisfaction/_survey_panel.html",
                       panel_context(survey, form if status != 200 else None), status=status)


def panel_context(survey: Survey | None, form: RatingForm | None = None) -> dict[str, Any]:
    """What ``satisfaction/_survey_panel.html`` needs (the portal record page includes it)."""
    return {"survey": survey, "survey_form": form or RatingForm(prefix="survey")}
