"""Request forms held as data: checking a form definition and the answers given to it.

A form is a list of fields::

    {"key": "model", "type": "choice", "label": "型号", "label_en": "Model",
     "help": "", "help_en": "", "required": true,
     "choices": [{"value": "t14", "label": "ThinkPad T14", "label_en": "ThinkPad T14"}]}

Types: text, long_text, choice, multi_choice, person, date, number, attachment, ci.
Optional rules: ``max_length`` and ``pattern`` (text), ``min`` and ``max`` (number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from steward.core.errors import ValidationFailed

FIELD_TYPES = frozenset(
    {"text", "long_text", "choice", "multi_choice", "person", "date", "number", "attachment", "ci"}
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _fail(message: str, field: str = "form") -> ValidationFailed:
    return ValidationFailed(message, field=field)


def check_definition(form: Any) -> list[dict[str, Any]]:
    """Validate a form definition; return it unchanged or raise ``ValidationFailed``."""
    if not isinstance(form, list):
        raise _fail(_("The form must be a list of fields."))
    seen: set[str] = set()
    for index, spec in enumerate(form, start=1):
        where = _("field %(n)d") % {"n": index}
        if not isinstance(spec, dict):
            raise _fail(_("%(where)s: must be an object.") % {"where": where})
        key = spec.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise _fail(
                _("%(where)s: the key must be lower-case letters, digits or _.") % {"where": where}
            )
        if key in seen:
            raise _fail(
                _("%(where)s: the key %(key)s is used twice.") % {"where": where, "key": key}
            )
        seen.add(key)
        if spec.get("type") not in FIELD_TYPES:
            raise _fail(
                _("%(where)s (%(key)s): unknown type %(type)s.")
                % {"where": where, "key": key, "type": spec.get("type")}
            )
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            raise _fail(
                _("%(where)s (%(key)s): a label is required.") % {"where": where, "key": key}
            )
        if spec["type"] in {"choice", "multi_choice"}:
            choices = spec.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, dict) and isinstance(c.get("value"), str) for c in choices)
            ):
                raise _fail(
                    _("%(where)s (%(key)s): choices need a value and a label each.")
                    % {"where": where, "key": key}
                )
        if "pattern" in spec:
            try:
                re.compile(str(spec["pattern"]))
            except re.error:
                raise _fail(
                    _("%(where)s (%(key)s): the pattern is not a valid regular expression.")
                    % {"where": where, "key": key}
                ) from None
    return form


Lookup = Callable[[Any], bool]


def clean_answers(
    form: list[dict[str, Any]],
    answers: Mapping[str, Any],
    *,
    person_exists: Lookup = lambda value: True,
    ci_exists: Lookup = lambda value: True,
    attachment_exists: Lookup = lambda value: True,
) -> dict[str, Any]:
    """Check ``answers`` against ``form``; return cleaned values or raise for the first field."""
    unknown = sorted(set(answers) - {spec["key"] for spec in form})
    if unknown:
        raise _fail(_("This form has no field %(key)s.") % {"key": unknown[0]}, unknown[0])
    cleaned: dict[str, Any] = {}
    for spec in form:
        key = spec["key"]
        value = answers.get(key)
        if value in (None, "", []):
            if spec.get("required"):
                raise _fail(_("This field is required."), key)
            continue
        cleaned[key] = _clean_one(spec, value, person_exists, ci_exists, attachment_exists)
    return cleaned


def _clean_one(
    spec: dict[str, Any],
    value: Any,
    person_exists: Lookup,
    ci_exists: Lookup,
    attachment_exists: Lookup,
) -> Any:
    key, kind = spec["key"], spec["type"]
    if kind in {"text", "long_text"}:
        text = str(value).strip()
        limit = int(spec.get("max_length", 200 if kind == "text" else 5000))
        if len(text) > limit:
            raise _fail(_("At most %(n)d characters.") % {"n": limit}, key)
        if spec.get("pattern") and not re.fullmatch(str(spec["pattern"]), text):
            raise _fail(_("The value does not have the expected format."), key)
        return text
    if kind in {"choice", "multi_choice"}:
        allowed = {c["value"] for c in spec["choices"]}
        values = value if isinstance(value, list) else [value]
        if kind == "choice" and len(values) != 1:
            raise _fail(_("Choose one option."), key)
        bad = [v for v in values if v not in allowed]
        if bad:
            raise _fail(_("%(value)s is not one of the options.") % {"value": bad[0]}, key)
        return values[0] if kind == "choice" else values
    if kind == "number":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise _fail(_("Enter a number."), key) from None
        if "min" in spec and number < Decimal(str(spec["min"])):
            raise _fail(_("At least %(min)s.") % {"min": spec["min"]}, key)
        if "max" in spec and number > Decimal(str(spec["max"])):
            raise _fail(_("At most %(max)s.") % {"max": spec["max"]}, key)
        return str(number)
    if kind == "date":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise _fail(_("Enter a date as YYYY-MM-DD."), key) from None
    checks = {"person": person_exists, "ci": ci_exists, "attachment": attachment_exists}
    if not checks[kind](value):
        raise _fail(_("%(value)s was not found.") % {"value": value}, key)
    return value
