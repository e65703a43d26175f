"""Who may open the portal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from steward.core.htmx import login_redirect, render_page, wants_partial

__all__ = ["login_redirect", "render_page", "signed_in", "wants_partial"]

View = Callable[..., HttpResponseBase]


def signed_in(view: View) -> View:
    """Sign-in required; an htmx request after the session expired reloads the whole window."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return login_redirect(request)

    return wrapper
