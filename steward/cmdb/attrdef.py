"""CI attributes held as data: checking definitions, merging inheritance, checking values.

An attribute definition is a dict::

    {"key": "mgmt_ip", "type": "ip_address", "label": "管理地址", "label_en": "Management IP",
     "required": true}

Types and their options (all optional unless said):

- ``string``: ``max_length`` (default 200), ``pattern`` (a full-match regular expression)
- ``integer``: ``min``, ``max``
- ``decimal``: ``min``, ``max``; stored as a string so no precision is lost
- ``date``: ISO ``YYYY-MM-DD``
- ``choice``: ``choices`` (required): ``[{"value": "raid10", "label": "RAID 10", "label_en": ""}]``
- ``reference``: ``class`` (a CI class code; the value must be a CI of it or a subclass);
  stored as the CI id (``CI-000123``)
- ``ip_address``: ``version`` 4 or 6; stored in its normalised form
- ``person``: stored as the person's id

Pure functions: database look-ups are passed in by the caller (``cmdb.services``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from steward.core.errors import ValidationFailed

ATTRIBUTE_TYPES = frozenset(
    {"string", "integer", "decimal", "date", "choice", "reference", "ip_address", "person"}
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_OPTIONS = {
    "string": {"max_length", "pattern"},
    "integer": {"min", "max"},
    "decimal": {"min", "max"},
    "date": set(),
    "choice": {"choices"},
    "reference": {"class"},
    "ip_address": {"version"},
    "person": set(),
}
_COMMON = {"key", "type", "label", "label_en", "help", "help_en", "required"}

Definition = dict[str, Any]
PersonExists = Callable[[int], bool]
ReferenceCheck = Callable[[str, str], bool]
"""``(ci_id, class_code) -> bool``: does that CI exist and belong to the class or a subclass?"""


def _fail(message: str, field: str = "attributes") -> ValidationFailed:
    return ValidationFailed(message, field=field)


def check_definitions(
    definitions: Any, *, class_exists: Callable[[str], bool] = lambda code: True
) -> list[Definition]:
    """Validate a class's own attribute definitions; return them or raise ``ValidationFailed``."""
    if not isinstance(definitions, list):
        raise _fail(_("Attribute definitions must be a list."))
    seen: set[str] = set()
    for index, spec in enumerate(definitions, start=1):
        if not isinstance(spec, dict):
            raise _fail(_("Attribute %(n)d must be an object.") % {"n": index})
        key = spec.get("key")
        if not isinstance(key, str) or not _KEY.match(key):
            raise _fail(
                _("Attribute %(n)d: the key must be lower-case letters, digits or _.")
                % {"n": index}
            )
        if key in seen:
            raise _fail(_("The key %(key)s is used twice.") % {"key": key})
        seen.add(key)
        _check_one(spec, key, class_exists)
    return definitions


def _check_one(spec: Definition, key: str, class_exists: Callable[[str], bool]) -> None:
    kind = spec.get("type")
    if kind not in ATTRIBUTE_TYPES:
        raise _fail(_("%(key)s: unknown type %(type)s.") % {"key": key, "type": kind})
    unknown = sorted(set(spec) - _COMMON - _OPTIONS[kind])
    if unknown:
        raise _fail(
            _("%(key)s: %(option)s is not an option of type %(type)s.")
            % {"key": key, "option": unknown[0], "type": kind}
        )
    if not isinstance(spec.get("label"), str) or not spec["label"].strip():
        raise _fail(_("%(key)s: a label is required.") % {"key": key})
    if not isinstance(spec.get("required", False), bool):
        raise _fail(_("%(key)s: required must be true or false.") % {"key": key})
    if kind == "choice":
        choices = spec.get("choices")
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(c, dict) and isinstance(c.get("value"), str) for c in choices)
            or len({c["value"] for c in choices}) != len(choices)
        ):
            raise _fail(
                _("%(key)s: choices need a distinct value and a label each.") % {"key": key}
            )
    if kind == "reference" and not (
        isinstance(spec.get("class"), str) and class_exists(spec["class"])
    ):
        raise _fail(_("%(key)s: name an existing CI class to refer to.") % {"key": key})
    if kind == "ip_address" and spec.get("version", 4) not in (4, 6, None):
        raise _fail(_("%(key)s: the IP version is 4 or 6.") % {"key": key})
    if "pattern" in spec:
        try:
            re.compile(str(spec["pattern"]))
        except re.error:
            raise _fail(
                _("%(key)s: the pattern is not a valid regular expression.") % {"key": key}
            ) from None
    for bound in ("min", "max", "max_length"):
        if bound in spec and _number(spec[bound]) is None:
            raise _fail(_("%(key)s: %(bound)s must be a number.") % {"key": key, "bound": bound})


def merge_inherited(chain: Sequence[tuple[str, Iterable[Definition]]]) -> list[Definition]:
    """The attributes a CI of the last class in ``chain`` carries: root class first.

    ``chain`` is ``[(class_code, own_definitions), ...]`` from the root down. A key defined
    twice along the chain is refused (a subclass cannot redefine an inherited attribute).
    Each merged definition gains ``"class"``-independent key ``"defined_in"``.
    """
    merged: list[Definition] = []
    owner: dict[str, str] = {}
    for code, definitions in chain:
        for spec in definitions:
            key = spec["key"]
            if key in owner:
                raise _fail(
                    _("%(key)s is already defined by the class %(owner)s.")
                    % {"key": key, "owner": owner[key]}
                )
            owner[key] = code
            merged.append({**spec, "defined_in": code})
    return merged


def clean_values(
    definitions: Sequence[Definition],
    values: Mapping[str, Any],
    *,
    person_exists: PersonExists = lambda pk: True,
    reference_ok: ReferenceCheck = lambda ci_id, code: True,
) -> dict[str, Any]:
    """Check ``values`` against ``definitions``; return the cleaned values.

    Raises ``ValidationFailed`` naming ``attributes.<key>`` for the first bad value. Empty
    values (None, "") are left out; a required attribute must have one.
    """
    known = {spec["key"] for spec in definitions}
    unknown = sorted(set(values) - known)
    if unknown:
        raise _fail(
            _("This class has no attribute %(key)s.") % {"key": unknown[0]},
            f"attributes.{unknown[0]}",
        )
    cleaned: dict[str, Any] = {}
    for spec in definitions:
        key = spec["key"]
        value = values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.get("required"):
                raise _fail(_("This attribute is required."), f"attributes.{key}")
            continue
        cleaned[key] = clean_value(
            spec, value, person_exists=person_exists, reference_ok=reference_ok
        )
    return cleaned


def clean_value(
    spec: Definition,
    value: Any,
    *,
    person_exists: PersonExists = lambda pk: True,
    reference_ok: ReferenceCheck = lambda ci_id, code: True,
) -> Any:
    """One attribute value, cleaned, or ``ValidationFailed`` for ``attributes.<key>``."""
    field = f"attributes.{spec['key']}"
    cleaner = _CLEANERS[spec["type"]]
    result = cleaner(spec, value, field)
    if spec["type"] == "person" and not person_exists(result):
        raise _fail(_("No person with id %(value)s.") % {"value": result}, field)
    if spec["type"] == "reference" and not reference_ok(result, spec["class"]):
        raise _fail(
            _("%(value)s is not a CI of the class %(cls)s.")
            % {"value": result, "cls": spec["class"]},
            field,
        )
    return result


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _bounds(spec: Definition, number: Decimal, field: str) -> None:
    if "min" in spec and number < Decimal(str(spec["min"])):
        raise _fail(_("At least %(min)s.") % {"min": spec["min"]}, field)
    if "max" in spec and number > Decimal(str(spec["max"])):
        raise _fail(_("At most %(max)s.") % {"max": spec["max"]}, field)


def _string(spec: Definition, value: Any, field: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _fail(_("Enter text."), field)
    text = str(value).strip()
    limit = int(spec.get("max_length", 200))
    if len(text) > limit:
        raise _fail(_("At most %(n)d characters.") % {"n": limit}, field)
    if spec.get("pattern") and not re.fullmatch(str(spec["pattern"]), text):
        raise _fail(_("The value does not have the expected format."), field)
    return text


def _integer(spec: Definition, value: Any, field: str) -> int:
    number = _number(value)
    if number is None or number != number.to_integral_value():
        raise _fail(_("Enter a whole number."), field)
    _bounds(spec, number, field)
    return int(number)


def _decimal(spec: Definition, value: Any, field: str) -> str:
    if isinstance(value, float):
        value = repr(value)
    number = _number(value)
    if number is None:
        raise _fail(_("Enter a number."), field)
    _bounds(spec, number, field)
    return str(number)


def _date(spec: Definition, value: Any, field: str) -> str:
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise _fail(_("Enter a date as YYYY-MM-DD."), field) from None


def _choice(spec: Definition, value: Any, field: str) -> str:
    allowed = [c["value"] for c in spec["choices"]]
    if value not in allowed:
        raise _fail(_("%(value)s is not one of the options.") % {"value": value}, field)
    return str(value)


def _reference(spec: Definition, value: Any, field: str) -> str:
    text = str(value).strip().upper()
    if not re.fullmatch(r"CI-\d{6,}", text):
        raise _fail(_("Enter a CI id such as CI-000123."), field)
    return text


def _ip_address(spec: Definition, value: Any, field: str) -> str:
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        raise _fail(_("Enter a valid IP address."), field) from None
    version = spec.get("version")
    if version and address.version != version:
        raise _fail(_("Enter an IPv%(v)s address.") % {"v": version}, field)
    return str(address)


def _person(spec: Definition, value: Any, field: str) -> int:
    number = _number(value)
    if number is None or number != number.to_integral_value() or number < 1:
        raise _fail(_("Enter a person's id."), field)
    return int(number)


_CLEANERS: dict[str, Callable[[Definition, Any, str], Any]] = {
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "date": _date,
    "choice": _choice,
    "reference": _reference,
    "ip_address": _ip_address,
    "person": _person,
}
