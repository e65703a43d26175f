"""Sign-in, sign-out, language switch and personal settings (preferences, password, tokens)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core.errors import DomainError
from steward.core.views import add_domain_error
from steward.identity import permissions, selectors, services
from steward.identity.forms import LoginForm, PasswordChangeForm, PreferencesForm, TokenCreateForm
from steward.identity.middleware import LANGUAGE_SESSION_KEY
from steward.identity.models import Person


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        person = Person.objects.filter(username__iexact=username).first()
        if person is not None and person.is_locked:
            assert person.locked_until is not None
            form.add_error(None, _("Too many failed attempts. Try again after %(time)s.") % {
                "time": formats.time_format(timezone.localtime(person.locked_until), "H:i")})
            status = 429
        else:
            user = authenticate(request, username=username,
                                password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(username=username)
                form.add_error(None, _("The user name or password is wrong."))
                status = 401
            else:
                assert isinstance(user, Person)
                services.login_succeeded(person=user)
                login(request, user)
                return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(request, "identity/login.html",
                  {"form": form, "next": _safe_next(request, "")}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.session[LANGUAGE_SESSION_KEY] = language
        if request.user.is_authenticated and request.user.language != language:
            services.person_update(actor=request.user, person=request.user,
                                   changes={"language": language})
    return HttpResponseRedirect(_safe_next(request, "/"))


def _face(user: object) -> str:
    """Settings pages wear the console's look for staff and the portal's for requesters."""
    return "console/base.html" if permissions.is_staff_member(user) else "portal/base.html"


def _preferences_initial(person: Person) -> dict[str, object]:
    return {"language": person.language, "time_zone": person.time_zone, "phone": person.phone,
            "notification_channels": person.notification_channels}


def _profile_page(request: HttpRequest, person: Person, *, prefs: PreferencesForm | None = None,
                  password_form: PasswordChangeForm | None = None,
                  status: int = 200) -> HttpResponse:
    return render(request, "identity/profile.html", {
        "base_template": _face(person), "section": "profile",
        "prefs": prefs or PreferencesForm(initial=_preferences_initial(person)),
        "password_form": password_form or PasswordChangeForm(), "token_form": TokenCreateForm(),
        "tokens": selectors.token_list_for(user=person),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    assert isinstance(person, Person)
    if request.method != "POST":
        return _profile_page(request, person)
    prefs = PreferencesForm(request.POST, initial=_preferences_initial(person))
    if prefs.is_valid():
        try:
            services.person_update(actor=person, person=person,
                                   changes=dict(prefs.cleaned_data))
        except DomainError as exc:
            add_domain_error(prefs, exc)
            person.refresh_from_db()
        else:
            request.session[LANGUAGE_SESSION_KEY] = person.language
            messages.success(request, _("Your preferences were saved."))
            return redirect("identity:profile")
    return _profile_page(request, person, prefs=prefs, status=422)


@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST)
    person = request.user
    assert isinstance(person, Person)
    if form.is_valid():
        try:
            services.person_set_password(actor=person, person=person,
                                         password=form.cleaned_data["new_password"])
        except DomainError as exc:
            if exc.field == "password":
                form.add_error("new_password", exc.message)
            else:
                add_domain_error(form, exc)
        else:
            update_session_auth_hash(request, person)
            messages.success(request, _("Your password was changed."))
            return redirect("identity:profile")
    return _profile_page(request, person, password_form=form, status=422)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    person = request.user
    assert isinstance(person, Person)
    if form.is_valid():
        try:
            token, secret = services.token_create(actor=person, **form.cleaned_data)
            return render(request, "identity/token_created.html", {
                "token": token, "secret": secret, "base_template": _face(person),
                "section": "profile",
            })
        except DomainError as exc:
            add_domain_error(form, exc)
    messages.error(request, _("The token could not be created."))
    return redirect("identity:profile")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_get_for(user=request.user, token_id=token_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("identity:profile")
