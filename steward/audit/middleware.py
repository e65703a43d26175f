"""Tag every web request's changes with the audit source of the face it came through."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from steward.audit.context import source, source_for_path


class AuditSourceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with source(source_for_path(request.path)):
            return self.get_response(request)
