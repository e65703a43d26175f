"""How a UI page answers a full request or an htmx fragment request (both faces use it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def login_redirect(request: HttpRequest) -> HttpResponseBase:
    """To the sign-in page; an htmx request (session expired) reloads the whole window."""
    if wants_partial(request):
        return HttpResponseClientRedirect(
            redirect_to_login(
                request.htmx.current_url_abs_path  # type: ignore[attr-defined]
                or request.get_full_path()
            )["Location"]
        )
    return redirect_to_login(request.get_full_path())


def render_page(
    request: HttpRequest,
    template: str | Sequence[str],
    context: dict[str, Any],
    *,
    partial: str | None = None,
    section: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render a page, or only ``partial`` when htmx asks for a fragment."""
    name = partial if partial is not None and wants_partial(request) else template
    response = render(request, name, {"section": section, **context}, status=status)
    if partial is not None:
        patch_vary_headers(response, ("HX-Request",))
    return response
