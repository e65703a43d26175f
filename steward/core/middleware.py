"""Cross-cutting HTTP concerns: metrics, security headers, request logging, job batching."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from steward.core.jobs import jobs_batched
from steward.core.metrics import REQUEST_LATENCY

logger = logging.getLogger("steward.request")

Handler = Callable[[HttpRequest], HttpResponse]

# The UI loads scripts and styles only from itself; htmx needs no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# The interactive API docs page loads its own bundled assets and an inline bootstrap script.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class MetricsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None and match.route else "unmatched"
        REQUEST_LATENCY.labels(request.method or "", route, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy.

    Django itself sets nosniff, the referrer policy and X-Frame-Options.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = (
            DOCS_CONTENT_SECURITY_POLICY
            if request.path.startswith("/api/v1/docs")
            else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class RequestLogMiddleware:
    """One log line a request, with an id also returned in ``X-Request-ID``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": getattr(user, "username", "") if user is not None else "",
            },
        )
        return response


class DomainErrorMiddleware:
    """UI pages: an invisible record is a 404 page, a denied action a 403 page.

    The API has its own exception map (steward.config.api); this covers the HTML views.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from steward.core.errors import DomainError, NotFound, NotPermitted

        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, NotPermitted):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, DomainError):
            from django.shortcuts import render

            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None


class JobBatchMiddleware:
    """Jobs that the request's transactions enqueue on commit are sent together when the
    request is done (``core.jobs.jobs_batched``): one round trip to Redis per request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with jobs_batched():
            return self.get_response(request)
