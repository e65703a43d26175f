"""Who may open the console, and how a page answers an htmx request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from steward.core.htmx import login_redirect, render_page, wants_partial
from steward.identity import permissions

__all__ = ["login_redirect", "render_page", "staff_required", "wants_partial"]

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Sign-in required; people without a console role are sent to the portal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return login_redirect(request)
        if not permissions.is_staff_member(request.user):
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return wrapper
