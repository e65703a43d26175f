"""Raising service requests: numbering, answers kept with the form version, approvals or
tasks, SLA clocks and the acknowledgement, and the refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.catalogue.services import request_item_revise
from steward.core import events as core_events
from steward.core.errors import BusinessRuleViolation, NotPermitted, ValidationFailed
from steward.fulfilment.events import RequestSubmitted
from steward.fulfilment.models import ApprovalReminder, RequestStatus, ServiceRequest
from steward.fulfilment.tests.conftest import MONDAY, audit_actions, clocks, stored_files
from steward.identity.models import Role
from steward.testing import factories
from steward.workitems.models import Attachment

pytestmark = pytest.mark.django_db


def test_submit_needing_approval_waits_for_the_manager(
    submit: Callable[..., ServiceRequest], events: Any, requester: Any, manager: Any,
    laptop: Any, settings: Any,
) -> None:
    # Given the laptop item needs the requester's manager's approval
    # When the requester raises it
    with events.capture():
        request = submit(answers={"model": "t14", "reason": " 旧电脑坏了 ", "quantity": "2"})

    # Then it is numbered, waits for approval, and keeps the version and cleaned answers
    request.refresh_from_db()
    assert request.number == "REQ-000001"
    assert request.status == RequestStatus.AWAITING_APPROVAL
    assert request.title == "新笔记本电脑"
    assert request.item_version_id == laptop.current_id
    assert request.answers == {"model": "t14", "reason": "旧电脑坏了", "quantity": "2"}
    assert request.team.code == "DESK"
    assert request.department == requester.department
    assert [(a.approver, a.role, a.state) for a in request.approvals.all()] == [
        (manager, "manager", "pending")
    ]
    reminder = ApprovalReminder.objects.get(approval__request=request)
    assert reminder.next_attempt_at == MONDAY + __import__("datetime").timedelta(
        hours=settings.STEWARD_APPROVAL_REMINDER_HOURS)
    assert request.tasks.count() == 0
    # The fulfilment clock started on "submitted" and pauses while approval is awaited
    assert clocks(request)["fulfilment"].state == "paused"
    assert audit_actions(request) == ["create", "request_approval"]
    assert events.names == ["RequestSubmitted", "ApprovalRequested"]
    assert events.items[0].due_at is None  # no promise while approval is pending
    assert events.items[0].promised_minutes == 2400


def test_numbers_are_consecutive(submit: Callable[..., ServiceRequest]) -> None:
    first = submit()
    second = submit()
    assert (first.number, second.number) == ("REQ-000001", "REQ-000002")


def test_item_without_approval_starts_fulfilment_with_the_first_task_open(
    submit: Callable[..., ServiceRequest], laptop: Any, events: Any,
) -> None:
    # Given the item needs no approval
    request_item_revise(actor=None, item=laptop, changes={"approval_kind": "none"})
    laptop.refresh_from_db()

    # When a request is raised
    with events.capture():
        request = submit()

    # Then it is in fulfilment with the first (ordered) task open and the clock running
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT
    assert list(request.tasks.values_list("position", "title", "team__code", "state")) == [
        (1, "出库", "STOCK", "open"), (2, "安装系统", "DESK", "waiting"),
    ]
    assert clocks(request)["fulfilment"].state == "running"
    assert events.names == ["RequestSubmitted", "FulfilmentTaskOpened"]
    assert events.items[0].due_at == clocks(request)["fulfilment"].due_at


def test_invalid_answer_names_the_field_and_creates_nothing(
    submit: Callable[..., ServiceRequest], events: Any,
) -> None:
    # When an answer breaks the form's pattern
    with events.capture(), pytest.raises(ValidationFailed) as raised:
        submit(answers={"model": "t14", "reason": "x", "asset_tag": "12"})

    # Then the field and reason are given and nothing was written, not even a number
    assert raised.value.field == "asset_tag"
    assert raised.value.message == "The value does not have the expected format."
    assert ServiceRequest.objects.count() == 0
    assert events.names == []
    assert submit().number == "REQ-000001"


@pytest.mark.parametrize(
    ("_case", "answers", "field"),
    [
        ("missing required", {"model": "t14"}, "reason"),
        ("unknown choice", {"model": "mac", "reason": "x"}, "model"),
        ("unknown person", {"model": "t14", "reason": "x", "for_person": 999999}, "for_person"),
        ("bad date", {"model": "t14", "reason": "x", "needed_by": "next week"}, "needed_by"),
        ("number too big", {"model": "t14", "reason": "x", "quantity": 9}, "quantity"),
        ("unknown ci", {"model": "t14", "reason": "x", "old_device": "CI-NOPE"}, "old_device"),
        ("attachment by name", {"model": "t14", "reason": "x", "quote": "a.pdf"}, "quote"),
        ("unknown field", {"model": "t14", "reason": "x", "colour": "red"}, "colour"),
    ],
)
def test_answers_are_checked_against_every_field_type(
    submit: Callable[..., ServiceRequest], _case: str, answers: dict[str, Any], field: str,
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        submit(answers=answers)
    assert raised.value.field == field
    assert ServiceRequest.objects.count() == 0


def test_all_field_types_answered_are_kept(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    # Given a configuration item and a file for the attachment field
    device = factories.ci(name="旧笔记本")
    upload = SimpleUploadedFile("quote.pdf", b"%PDF-1.4 quote", content_type="application/pdf")

    # When every field is answered
    request = submit(
        answers={"model": "x1", "reason": "出差", "asset_tag": "AB1234",
                 "extras": ["mouse", "bag"], "for_person": requester.pk,
                 "needed_by": "2026-03-10", "quantity": "1", "old_device": device.ci_id},
        uploads={"quote": upload},
    )

    # Then the answers are cleaned and the file is attached to the request
    attachment = Attachment.objects.get(object_id=request.pk)
    request.refresh_from_db()
    assert request.answers == {
        "model": "x1", "reason": "出差", "asset_tag": "AB1234", "extras": ["mouse", "bag"],
        "for_person": requester.pk, "needed_by": "2026-03-10", "quantity": "1",
        "quote": {"attachment_id": attachment.pk, "filename": "quote.pdf"},
        "old_device": device.ci_id,
    }


def test_answers_keep_the_version_they_were_given_to(
    submit: Callable[..., ServiceRequest], laptop: Any,
) -> None:
    # Given a request raised under version 1
    request = submit()
    first_version = laptop.current_id

    # When the item is revised
    request_item_revise(actor=None, item=laptop, changes={"name": "笔记本电脑（新）"})

    # Then the request still points at version 1
    request.refresh_from_db()
    laptop.refresh_from_db()
    assert request.item_version_id == first_version
    assert laptop.current_id != first_version


def test_agent_raises_on_behalf_of_a_requester(
    submit: Callable[..., ServiceRequest], agent: Any, requester: Any,
) -> None:
    request = submit(actor=agent, channel="console")
    assert (request.requester, request.raised_by, request.channel) == (
        requester, agent, "console")


def test_requester_may_not_raise_for_someone_else(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    other = factories.person()
    with pytest.raises(NotPermitted):
        submit(actor=other)
    assert ServiceRequest.objects.count() == 0


def test_without_a_manager_the_department_head_approves(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    # Given a requester without a manager in a department with a head
    head = factories.person(roles=(Role.REQUESTER,), name="部门负责人")
    department = factories.department(head=head)
    person = factories.person(department=department)

    request = submit(requester=person)

    assert [(a.approver, a.role) for a in request.approvals.all()] == [
        (head, "department_head")]


def test_nobody_to_approve_is_refused_whole(submit: Callable[..., ServiceRequest]) -> None:
    lonely = factories.person()
    with pytest.raises(BusinessRuleViolation) as raised:
        submit(requester=lonely)
    assert raised.value.code == "no_approver"
    assert ServiceRequest.objects.count() == 0


def test_inactive_item_cannot_be_requested(
    submit: Callable[..., ServiceRequest], laptop: Any,
) -> None:
    from steward.catalogue.services import request_item_set_active

    request_item_set_active(actor=None, item=laptop, active=False)
    with pytest.raises(BusinessRuleViolation) as raised:
        submit()
    assert raised.value.code == "item_inactive"
    assert ServiceRequest.objects.count() == 0


def _quote(content: bytes = b"%PDF-1.4 quote") -> SimpleUploadedFile:
    return SimpleUploadedFile("quote.pdf", content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("_case", "uploads", "answers", "field"),
    [
        ("file for a text field", {"reason": "quote"}, {"model": "t14"}, "reason"),
        ("file for an unknown field", {"colour": "quote"}, {"model": "t14", "reason": "x"},
         "colour"),
        ("empty file", {"quote": "empty"}, {"model": "t14", "reason": "x"}, "quote"),
        ("too large file", {"quote": "large"}, {"model": "t14", "reason": "x"}, "quote"),
        ("a file and an answer", {"quote": "quote"},
         {"model": "t14", "reason": "x", "quote": "quote.pdf"}, "quote"),
    ],
)
def test_files_are_checked_before_anything_is_written(
    submit: Callable[..., ServiceRequest], media: Path, settings: Any,
    _case: str, uploads: dict[str, str], answers: dict[str, Any], field: str,
) -> None:
    # Given attachments limited to 1 MB
    settings.STEWARD_ATTACHMENT_MAX_BYTES = 1024 * 1024
    files = {"quote": _quote(), "empty": _quote(b""), "large": _quote(b"x" * (1024 * 1024 + 1))}

    # When a request comes with a file the form or the attachment rules do not take
    with pytest.raises(ValidationFailed) as raised:
        submit(answers=answers, uploads={key: files[name] for key, name in uploads.items()})

    # Then the error names the field, and no request, attachment or file is left
    assert raised.value.field == field
    assert (ServiceRequest.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(media) == []


def test_a_failure_after_the_files_are_stored_deletes_them(
    submit: Callable[..., ServiceRequest], media: Path, isolated_subscribers: None,
) -> None:
    # Given a subscriber of the acknowledgement that refuses (after the files are stored)
    def refuse(event: RequestSubmitted) -> None:
        assert stored_files(media) != []
        raise BusinessRuleViolation("refused", code="refused")

    core_events.subscribe(RequestSubmitted, refuse)

    # When a request with a file is raised
    with pytest.raises(BusinessRuleViolation):
        submit(answers={"model": "t14", "reason": "x"}, uploads={"quote": _quote()})

    # Then the rows are rolled back and the stored file is deleted
    assert (ServiceRequest.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(media) == []
