"""Helpers shared by UI views: turn domain errors into form errors with status 422."""

from __future__ import annotations

from django import forms

from steward.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Attach ``error`` to its field when the form has it, else as a non-field error."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
