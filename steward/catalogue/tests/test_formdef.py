"""Request forms as data: definitions and answers."""

from __future__ import annotations

import pytest

from steward.catalogue.formdef import check_definition, clean_answers
from steward.core.errors import ValidationFailed

LAPTOP_FORM = [
    {
        "key": "model",
        "type": "choice",
        "label": "型号",
        "label_en": "Model",
        "required": True,
        "choices": [
            {"value": "t14", "label": "ThinkPad T14"},
            {"value": "mbp", "label": "MacBook"},
        ],
    },
    {"key": "reason", "type": "long_text", "label": "理由", "required": True, "max_length": 50},
    {"key": "quantity", "type": "number", "label": "数量", "min": 1, "max": 5},
    {"key": "needed_by", "type": "date", "label": "需要日期"},
    {
        "key": "extras",
        "type": "multi_choice",
        "label": "配件",
        "choices": [{"value": "mouse", "label": "鼠标"}, {"value": "bag", "label": "电脑包"}],
    },
    {"key": "employee_id", "type": "text", "label": "工号", "pattern": "E[0-9]{6}"},
    {"key": "for_person", "type": "person", "label": "使用人"},
]


def test_valid_answers_are_cleaned():
    cleaned = clean_answers(
        check_definition(LAPTOP_FORM),
        {
            "model": "t14",
            "reason": "  新员工入职 ",
            "quantity": "2",
            "needed_by": "2026-03-02",
            "extras": ["mouse", "bag"],
            "employee_id": "E001234",
        },
    )
    assert cleaned == {
        "model": "t14",
        "reason": "新员工入职",
        "quantity": "2",
        "needed_by": "2026-03-02",
        "extras": ["mouse", "bag"],
        "employee_id": "E001234",
    }


@pytest.mark.parametrize(
    ("_case", "answers", "field"),
    [
        ("required missing", {"reason": "x"}, "model"),
        ("not an option", {"model": "dell", "reason": "x"}, "model"),
        ("too long", {"model": "t14", "reason": "x" * 51}, "reason"),
        ("below minimum", {"model": "t14", "reason": "x", "quantity": "0"}, "quantity"),
        ("not a number", {"model": "t14", "reason": "x", "quantity": "two"}, "quantity"),
        ("bad date", {"model": "t14", "reason": "x", "needed_by": "02/03/2026"}, "needed_by"),
        ("bad pattern", {"model": "t14", "reason": "x", "employee_id": "123"}, "employee_id"),
        ("unknown field", {"model": "t14", "reason": "x", "colour": "red"}, "colour"),
        ("unknown person", {"model": "t14", "reason": "x", "for_person": 99}, "for_person"),
    ],
)
def test_invalid_answers_name_the_field(_case, answers, field):
    with pytest.raises(ValidationFailed) as caught:
        clean_answers(LAPTOP_FORM, answers, person_exists=lambda value: value == 1)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("_case", "definition", "message"),
    [
        ("not a list", {"key": "x"}, "list of fields"),
        ("bad key", [{"key": "Bad Key", "type": "text", "label": "x"}], "lower-case"),
        (
            "duplicate",
            [
                {"key": "a", "type": "text", "label": "x"},
                {"key": "a", "type": "text", "label": "y"},
            ],
            "used twice",
        ),
        ("unknown type", [{"key": "a", "type": "colour", "label": "x"}], "unknown type"),
        ("no label", [{"key": "a", "type": "text"}], "label is required"),
        ("no choices", [{"key": "a", "type": "choice", "label": "x"}], "choices"),
        ("bad regex", [{"key": "a", "type": "text", "label": "x", "pattern": "("}], "pattern"),
    ],
)
def test_invalid_definitions_are_refused(_case, definition, message):
    with pytest.raises(ValidationFailed, match=message) as caught:
        check_definition(definition)
    assert caught.value.field == "form"
