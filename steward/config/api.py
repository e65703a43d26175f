"""The one API instance at /api/v1: authentication, rate limits, error map, routers.

Errors always have the body ``{"detail": ..., "code": ...}`` (plus ``field`` / ``errors`` for
validation). Domain errors map as: NotPermitted 403, NotFound 404, InvalidTransition and
Conflict 409, BusinessRuleViolation 422; rate limiting answers 429.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from steward.core.errors import DomainError, NotPermitted
from steward.identity.models import TokenScope
from steward.identity.services import token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """``Authorization: Bearer stw_...``: a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            return None
        person, api_token = found
        if api_token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise NotPermitted("This token is read-only.", code="token_read_only")
        request.user = person
        request.api_token = api_token  # type: ignore[attr-defined]
        return person


class SessionAuth(APIKeyCookie):
    """The browser session of the UI (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


class TokenThrottle(SimpleRateThrottle):
    """Requests per personal token."""

    scope = "token"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.prefix}


class AddressThrottle(SimpleRateThrottle):
    """Requests per client address, authenticated or not."""

    scope = "address"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


api = NinjaAPI(
    title="Steward API",
    version="1",
    description="IT service management aligned with ISO/IEC 20000-1:2018.",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[AddressThrottle(), TokenThrottle()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.status, exc.message, exc.code, **extra)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in err.get("loc", ())[1:] if part != "payload")
            or None,
            "reason": err.get("msg", "invalid"),
        }
        for err in exc.errors
    ]
    first = errors[0] if errors else {"field": None, "reason": "invalid input"}
    detail = f"{first['field']}: {first['reason']}" if first["field"] else str(first["reason"])
    return _error(request, 422, detail, "invalid", field=first["field"], errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Authentication required.", "not_authenticated")


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error(request, 429, "Too many requests; slow down.", "rate_limited")
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.", "not_found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: "bad_request",
        403: "not_permitted",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        422: "invalid",
        429: "rate_limited",
    }
    return _error(request, exc.status_code, str(exc), codes.get(exc.status_code, "error"))


def _mount() -> None:
    from steward.catalogue.api import router as catalogue_router
    from steward.cmdb.api import router as cmdb_router
    from steward.fulfilment.api import router as requests_router
    from steward.identity.api import router as identity_router
    from steward.identity.audit_api import router as audit_router
    from steward.incidents.api import router as incidents_router
    from steward.incidents.api_major import links_router, major_router, views_router
    from steward.incidents.api_routing import escalation_router
    from steward.incidents.api_routing import router as routing_router
    from steward.notifications.api import router as notifications_router
    from steward.reports.api import router as reports_router
    from steward.satisfaction.api import router as satisfaction_router
    from steward.sla.api import router as sla_router
    from steward.workitems.api import router as workitems_router
    from steward.workitems.api_time import router as time_router

    api.add_router("/", identity_router)
    api.add_router("/audit", audit_router)
    api.add_router("/records", time_router)
    api.add_router("/records", workitems_router)
    api.add_router("/catalogue", catalogue_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/sla", sla_router)
    api.add_router("/cmdb", cmdb_router)
    api.add_router("/incidents", escalation_router)
    # Before incidents_router: /incidents/bulk must not be read as /incidents/{number}.
    api.add_router("/major-incidents", major_router)
    api.add_router("/incident-views", views_router)
    api.add_router("/incidents", links_router)
    api.add_router("/incidents", incidents_router)
    api.add_router("/satisfaction", satisfaction_router)
    api.add_router("/reports", reports_router)
    api.add_router("/requests", requests_router)
    api.add_router("/routing", routing_router)


_mount()
