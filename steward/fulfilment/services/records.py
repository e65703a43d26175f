"""Raising a service request from a catalogue request item.

Process: docs/processes/fulfilment.md (ISO/IEC 20000-1 8.6.2).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record, snapshot
from steward.catalogue.formdef import clean_answers
from steward.catalogue.models import RequestItem, ServiceLifecycle
from steward.catalogue.services.items import request_item_count_use
from steward.cmdb.models import ConfigurationItem
from steward.core.errors import BusinessRuleViolation, ValidationFailed
from steward.core.events import emit_in_transaction
from steward.fulfilment import permissions
from steward.fulfilment.events import RequestSubmitted
from steward.fulfilment.models import RequestChannel, RequestStatus, ServiceRequest
from steward.fulfilment.services.approvals import approvals_open, approvers_for
from steward.fulfilment.services.common import (
    before_of,
    require,
    save_audited,
    sla_follow_status,
    target_of,
)
from steward.fulfilment.services.numbering import request_number_next
from steward.fulfilment.services.tasks import tasks_create
from steward.identity.models import Person
from steward.sla.models import AgreementKind, MetricKind
from steward.sla.services import clocks_attach
from steward.workitems.models import Attachment
from steward.workitems.services import attachment_add, attachment_check

CREATE_FIELDS = ("number", "title", "requester", "raised_by", "item", "item_version",
                 "service", "status", "channel", "team", "department", "site", "opened_at")


def _person_exists(value: Any) -> bool:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return False
    return Person.objects.filter(pk=pk, is_active=True).exists()


def _ci_exists(value: Any) -> bool:
    return ConfigurationItem.objects.filter(ci_id=str(value)).exists()


def _check_item(item: RequestItem) -> None:
    if not item.is_active or item.current is None:
        raise BusinessRuleViolation(
            _("%(code)s can no longer be requested.") % {"code": item.code},
            code="item_inactive", field="item",
        )
    if item.service.lifecycle == ServiceLifecycle.RETIRED:
        raise BusinessRuleViolation(
            _("The service %(code)s is retired.") % {"code": item.service.code},
            code="service_retired", field="item",
        )


def _check_uploads(
    form: list[dict[str, Any]], answers: Mapping[str, Any],
    files: Mapping[str, UploadedFile[bytes]],
) -> None:
    """Files answer attachment fields only, and attachment fields only by a file; every file
    passes the attachment rules. Checked before anything is written or stored."""
    kinds = {spec["key"]: spec["type"] for spec in form}
    for key, upload in files.items():
        if key not in kinds:
            raise ValidationFailed(_("This form has no field %(key)s.") % {"key": key}, field=key)
        if kinds[key] != "attachment":
            raise ValidationFailed(
                _("%(key)s is not an attachment field; it takes no file.") % {"key": key},
                field=key,
            )
        attachment_check(upload=upload, field=key)
    for key, kind in kinds.items():
        if kind == "attachment" and answers.get(key) not in (None, "", []):
            raise ValidationFailed(
                _("%(key)s is an attachment field: send a file for it, not an answer.")
                % {"key": key},
                field=key,
            )


@contextmanager
def _files_removed_on_failure() -> Iterator[list[Attachment]]:
    """Collect the attachments stored inside; if the block fails, delete their files (the
    rolled-back transaction takes their rows, not the files in the storage)."""
    stored: list[Attachment] = []
    try:
        yield stored
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _attach_files(
    request: ServiceRequest, *, actor: Any, files: Mapping[str, UploadedFile[bytes]],
    stored: list[Attachment],
) -> dict[str, Any]:
    """Attach each file to the request; return the answers naming them (key → id and name).
    ``stored`` collects the attachments as they are stored, for the caller to undo."""
    answers: dict[str, Any] = {}
    for key, upload in files.items():
        attachment = attachment_add(actor=actor, record=request, upload=upload)
        stored.append(attachment)
        answers[key] = {"attachment_id": attachment.pk, "filename": attachment.filename}
    return answers


def request_submit(
    *,
    actor: Any,
    item: RequestItem,
    answers: Mapping[str, Any],
    requester: Any = None,
    title: str = "",
    description: str = "",
    channel: str = RequestChannel.PORTAL,
    uploads: Mapping[str, UploadedFile[bytes]] | None = None,
) -> ServiceRequest:
    """Raise a request for ``item`` for ``requester`` (default: the actor; someone else:
    agents only), with answers to the item's current form version.

    The answers are checked against that version (the first bad field raises
    ``ValidationFailed`` with its key, and nothing is written); files for attachment fields
    come in ``uploads`` (field key → file), never in ``answers``; each passes the attachment
    rules (``workitems.services.attachment_check``) before anything is written, and is
    attached to the request (if a later step fails, the stored files are deleted with the
    rolled-back rows). In the same transaction: the number, the SLA clocks, the approvals
    (or, without approval, the fulfilment tasks) and the acknowledgement event with the
    promised time.

    Emits ``RequestSubmitted`` (and ``ApprovalRequested`` or ``FulfilmentTaskOpened``).
    Errors: ``NotPermitted``; ``ValidationFailed`` (answers and files, by field key;
    requester, channel);
    ``BusinessRuleViolation`` (item inactive, service retired, no approver).
    """
    requester = requester if requester is not None else actor
    require(permissions.can_raise_for(actor, requester),
            _("Only agents may raise a request on someone else's behalf."))
    if not requester.is_active:
        raise ValidationFailed(_("The requester's account is inactive."), field="requester_id")
    if channel not in RequestChannel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    _check_item(item)
    version = item.current
    assert version is not None  # _check_item
    files = dict(uploads or {})
    _check_uploads(version.form, answers, files)
    given = dict(answers)
    for key in files:
        given[key] = key  # placeholder until the file is attached below
    cleaned = clean_answers(
        version.form, given, person_exists=_person_exists, ci_exists=_ci_exists,
        attachment_exists=lambda value: value in files,
    )
    title = " ".join(str(title).split())[:200] or version.display_name(requester.language)
    with _files_removed_on_failure() as stored, transaction.atomic():
        now = timezone.now()
        request = ServiceRequest(
            number=request_number_next(), title=title, description=str(description),
            requester=requester, raised_by=actor, service=item.service, item=item,
            item_version=version, answers={}, status=RequestStatus.SUBMITTED, channel=channel,
            team=item.service.support_team, department=requester.department,
            site=requester.site, opened_at=now, updated_at=now,
        )
        # Approvers are resolved before anything is written, so a request nobody could
        # approve is refused whole.
        approvers = approvers_for(request)
        request.save(force_insert=True)
        cleaned.update(_attach_files(request, actor=actor, files=files, stored=stored))
        request.answers = cleaned
        request.save(update_fields=["answers"])
        audit_record(actor=actor, obj=request, action="create",
                     changes={**snapshot(request, CREATE_FIELDS), "answers": cleaned,
                              "item_version": version.number})
        due = _attach_clocks(request, at=now)
        emit_in_transaction(RequestSubmitted(
            request_id=request.pk, number=request.number, actor_id=getattr(actor, "pk", None),
            requester_id=requester.pk, due_at=None if approvers else due,
            promised_minutes=version.promised_minutes,
        ))
        if approvers:
            approvals_open(request, approvers=approvers, actor=actor, at=now)
        else:
            _start_fulfilment(request, actor=actor, at=now)
        request_item_count_use(item=item)
    return request


def _start_fulfilment(request: ServiceRequest, *, actor: Any, at: Any) -> None:
    before = before_of(request)
    request.status = target_of(request, "start_fulfilment")
    save_audited(request, actor=actor, action="start_fulfilment", before=before, at=at)
    sla_follow_status(request, at)
    tasks_create(request, actor=actor, at=at)


def _attach_clocks(request: ServiceRequest, *, at: Any) -> Any:
    """Start the SLA clocks; return the customer agreement's fulfilment due time."""
    started = clocks_attach(
        record=request, service=request.service, state=request.status,
        priority=request.priority, department=request.department, site=request.site,
        team=request.team, at=at, new_record=True,
    )
    promised = sorted(
        clock.due_at for clock in started
        if clock.kind == MetricKind.FULFILMENT and clock.agreement.kind == AgreementKind.SLA
        and clock.due_at is not None
    )
    return promised[0] if promised else None
