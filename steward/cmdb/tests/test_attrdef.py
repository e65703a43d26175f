"""Attribute definitions and values (pure): every type, the options, inheritance."""

from __future__ import annotations

import pytest

from steward.cmdb import attrdef
from steward.core.errors import ValidationFailed


def spec(kind: str, **options):
    return {"key": "value", "type": kind, "label": "值", **options}


@pytest.mark.parametrize(
    ("_case", "definition", "given", "cleaned"),
    [
        ("string trimmed", spec("string"), "  R-S0001 ", "R-S0001"),
        ("string pattern", spec("string", pattern=r"S\d{4}"), "S0001", "S0001"),
        ("integer from text", spec("integer", min=1), "64", 64),
        ("integer whole decimal", spec("integer"), 8.0, 8),
        ("decimal kept exact", spec("decimal"), "1024.50", "1024.50"),
        ("decimal from float", spec("decimal"), 0.1, "0.1"),
        ("date", spec("date"), "2026-03-01", "2026-03-01"),
        (
            "choice",
            spec("choice", choices=[{"value": "raid6", "label": "RAID 6"}]),
            "raid6",
            "raid6",
        ),
        (
            "reference upper-cased",
            spec("reference", **{"class": "server"}),
            "ci-000042",
            "CI-000042",
        ),
        ("ipv4", spec("ip_address"), " 10.0.0.1 ", "10.0.0.1"),
        ("ipv6 normalised", spec("ip_address"), "2001:DB8:0::1", "2001:db8::1"),
        ("ipv6 required", spec("ip_address", version=6), "::1", "::1"),
        ("person", spec("person"), "7", 7),
    ],
)
def test_valid_values_are_cleaned(_case, definition, given, cleaned):
    assert attrdef.clean_values([definition], {"value": given}) == {"value": cleaned}


@pytest.mark.parametrize(
    ("_case", "definition", "given", "message"),
    [
        ("string too long", spec("string", max_length=3), "abcd", "At most 3 characters."),
        (
            "string pattern",
            spec("string", pattern=r"S\d{4}"),
            "X1",
            "The value does not have the expected format.",
        ),
        ("string not text", spec("string"), ["a"], "Enter text."),
        ("integer fraction", spec("integer"), "1.5", "Enter a whole number."),
        ("integer bool", spec("integer"), True, "Enter a whole number."),
        ("integer below min", spec("integer", min=1), 0, "At least 1."),
        ("decimal above max", spec("decimal", max=100), "100.01", "At most 100."),
        ("decimal nan", spec("decimal"), "NaN", "Enter a number."),
        ("date", spec("date"), "2026-02-30", "Enter a date as YYYY-MM-DD."),
        (
            "choice",
            spec("choice", choices=[{"value": "a", "label": "A"}]),
            "b",
            "b is not one of the options.",
        ),
        (
            "reference format",
            spec("reference", **{"class": "server"}),
            "server-1",
            "Enter a CI id such as CI-000123.",
        ),
        ("ip", spec("ip_address"), "10.0.0.256", "Enter a valid IP address."),
        ("ip version", spec("ip_address", version=4), "::1", "Enter an IPv4 address."),
        ("person", spec("person"), "abc", "Enter a person's id."),
    ],
)
def test_invalid_values_name_the_attribute(_case, definition, given, message):
    with pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values([definition], {"value": given})
    assert (caught.value.field, caught.value.message) == ("attributes.value", message)


def test_lookups_decide_references_and_people():
    definitions = [
        {"key": "host", "type": "reference", "label": "主机", "class": "server"},
        {"key": "owner", "type": "person", "label": "负责人"},
    ]
    seen = []

    def reference_ok(ci_id, code):
        seen.append((ci_id, code))
        return ci_id == "CI-000001"

    assert attrdef.clean_values(
        definitions,
        {"host": "CI-000001", "owner": 3},
        person_exists=lambda pk: pk == 3,
        reference_ok=reference_ok,
    ) == {"host": "CI-000001", "owner": 3}
    with pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values(definitions, {"host": "CI-000002"}, reference_ok=reference_ok)
    assert caught.value.field == "attributes.host"
    assert caught.value.message == "CI-000002 is not a CI of the class server."
    with pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values(definitions, {"owner": 4}, person_exists=lambda pk: pk == 3)
    assert caught.value.message == "No person with id 4."
    assert seen == [("CI-000001", "server"), ("CI-000002", "server")]


def test_required_unknown_and_empty_values():
    definitions = [spec("string", required=True), {"key": "note", "type": "string", "label": "x"}]
    assert attrdef.clean_values(definitions, {"value": "a", "note": ""}) == {"value": "a"}
    with pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values(definitions, {"value": "  "})
    assert (caught.value.field, caught.value.message) == (
        "attributes.value",
        "This attribute is required.",
    )
    with pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values(definitions, {"value": "a", "colour": "red"})
    assert (caught.value.field, caught.value.message) == (
        "attributes.colour",
        "This class has no attribute colour.",
    )


@pytest.mark.parametrize(
    ("_case", "definitions", "message"),
    [
        ("not a list", {"key": "a"}, "Attribute definitions must be a list."),
        (
            "bad key",
            [spec("string") | {"key": "Bad Key"}],
            "Attribute 1: the key must be lower-case letters, digits or _.",
        ),
        ("twice", [spec("string"), spec("integer")], "The key value is used twice."),
        ("unknown type", [spec("boolean")], "value: unknown type boolean."),
        ("no label", [spec("string") | {"label": " "}], "value: a label is required."),
        (
            "option of another type",
            [spec("integer", pattern="x")],
            "value: pattern is not an option of type integer.",
        ),
        (
            "choices missing",
            [spec("choice")],
            "value: choices need a distinct value and a label each.",
        ),
        (
            "choices repeated",
            [spec("choice", choices=[{"value": "a"}, {"value": "a"}])],
            "value: choices need a distinct value and a label each.",
        ),
        (
            "unknown class",
            [spec("reference", **{"class": "nothing"})],
            "value: name an existing CI class to refer to.",
        ),
        ("ip version", [spec("ip_address", version=5)], "value: the IP version is 4 or 6."),
        (
            "bad pattern",
            [spec("string", pattern="(")],
            "value: the pattern is not a valid regular expression.",
        ),
        ("bad bound", [spec("integer", min="x")], "value: min must be a number."),
        (
            "required not bool",
            [spec("string", required="yes")],
            "value: required must be true or false.",
        ),
    ],
)
def test_bad_definitions_are_refused(_case, definitions, message):
    with pytest.raises(ValidationFailed) as caught:
        attrdef.check_definitions(definitions, class_exists=lambda code: code == "server")
    assert (caught.value.field, caught.value.message) == ("attributes", message)


def test_inherited_attributes_come_first_and_cannot_be_redefined():
    chain = [
        ("hardware", [{"key": "serial", "type": "string", "label": "序列号"}]),
        ("server", [{"key": "mgmt_ip", "type": "ip_address", "label": "管理地址"}]),
    ]
    merged = attrdef.merge_inherited(chain)
    assert [(d["key"], d["defined_in"]) for d in merged] == [
        ("serial", "hardware"),
        ("mgmt_ip", "server"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        attrdef.merge_inherited(
            [*chain, ("blade", [{"key": "serial", "type": "string", "label": "x"}])]
        )
    assert caught.value.message == "serial is already defined by the class hardware."


def test_messages_are_in_simplified_chinese_by_default():
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        attrdef.clean_values([spec("ip_address")], {"value": "300.1.1.1"})
    assert caught.value.message == "请输入有效的 IP 地址。"
