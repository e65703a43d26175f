"""Domain errors raised by services. The API maps them to HTTP statuses in one place.

Each error carries a stable ``code`` (machine readable, never translated) and a human message
(translated). ``field`` names the input field a validation error is about, when there is one.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class NotPermitted(DomainError):
    """The actor may see the record but may not do this to it (HTTP 403)."""

    code = "not_permitted"
    status = 403


class NotFound(DomainError):
    """The record does not exist or the actor may not see it (HTTP 404, never 403)."""

    code = "not_found"
    status = 404


class InvalidTransition(DomainError):
    """The action is not allowed from the record's current state (HTTP 409)."""

    code = "invalid_transition"
    status = 409


class Conflict(DomainError):
    """The record changed since the actor read it, or a uniqueness rule failed (HTTP 409)."""

    code = "conflict"
    status = 409


class BusinessRuleViolation(DomainError):
    """The input is well-formed but breaks a business rule (HTTP 422)."""

    code = "business_rule"
    status = 422


class ValidationFailed(BusinessRuleViolation):
    """An input field is invalid (HTTP 422); ``field`` names it."""

    code = "invalid"
