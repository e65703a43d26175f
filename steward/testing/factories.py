"""Factories for tests: build organisation records through the services, as real code does."""

from __future__ import annotations

import itertools
from typing import Any

from django.db import transaction

from steward.audit.services import audit_record
from steward.identity import services
from steward.identity.models import Department, Person, Role, Site, Team

_seq = itertools.count(1)


def person(
    *, roles: tuple[str, ...] = (Role.REQUESTER,), password: str | None = None, **fields: Any
) -> Person:
    n = next(_seq)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("name", f"用户{n}")
    fields.setdefault("email", f"user{n}@example.com")
    return services.person_create(actor=None, roles=roles, password=password, **fields)


def department(**fields: Any) -> Department:
    n = next(_seq)
    fields.setdefault("code", f"D{n}")
    fields.setdefault("name", f"部门{n}")
    return services.department_create(actor=None, **fields)


def site(**fields: Any) -> Site:
    n = next(_seq)
    fields.setdefault("code", f"S{n:04d}")
    fields.setdefault("name", f"门店{n}")
    return services.site_create(actor=None, **fields)


def team(*, members: tuple[Person, ...] = (), **fields: Any) -> Team:
    n = next(_seq)
    fields.setdefault("code", f"T{n}")
    fields.setdefault("name", f"团队{n}")
    created = services.team_create(actor=None, **fields)
    services.team_set_members(actor=None, team=created, members=members)
    return created


def memo(**fields: Any) -> Any:
    """A test work item (``steward.testing.sample``), created with its audit entry."""
    from steward.testing.sample.models import Memo

    n = next(_seq)
    fields.setdefault("number", f"MEM-{n:06d}")
    fields.setdefault("title", f"Memo {n}")
    with transaction.atomic():
        record = Memo.objects.create(**fields)
        audit_record(
            actor=fields["requester"], obj=record, action="create", changes={"title": record.title}
        )
    return record


def service(**fields: Any) -> Any:
    """A live portal service owned by a service owner, supported by a team."""
    from steward.catalogue.services import service_create

    n = next(_seq)
    fields.setdefault("code", f"SVC{n}")
    fields.setdefault("name", f"服务{n}")
    fields.setdefault("lifecycle", "live")
    if "owner" not in fields:
        fields["owner"] = person(roles=(Role.SERVICE_OWNER,))
    if "support_team" not in fields:
        fields["support_team"] = team()
    return service_create(actor=None, **fields)


def request_item(*, service: Any, **fields: Any) -> Any:
    from steward.catalogue.services import request_item_create

    n = next(_seq)
    fields.setdefault("code", f"RI{n}")
    fields.setdefault("name", f"申请{n}")
    return request_item_create(actor=None, service=service, **fields)


def ci_class(**fields: Any) -> Any:
    """A CMDB class (``steward.cmdb``), created through the service."""
    from steward.cmdb.services import class_create

    n = next(_seq)
    fields.setdefault("code", f"class{n}")
    fields.setdefault("name", f"类别{n}")
    return class_create(actor=None, **fields)


def ci(**fields: Any) -> Any:
    """A configuration item in use (of a new class unless ``ci_class`` is given)."""
    from steward.cmdb.services import ci_create

    n = next(_seq)
    if "ci_class" not in fields:
        fields["ci_class"] = ci_class()
    fields.setdefault("name", f"配置项{n}")
    return ci_create(actor=None, **fields)


def relation(source: Any, kind: str, target: Any, **fields: Any) -> Any:
    """``source <kind> target`` in the CMDB."""
    from steward.cmdb.services import relation_add

    return relation_add(actor=None, source=source, kind=kind, target=target, **fields)


def incident(
    *, requester: Any = None, actor: Any = None, triage: bool = True, **fields: Any
) -> Any:
    """An incident raised through ``incident_create`` (by its requester unless ``actor``), as
    the desk sees it once its triage job has run (assignment by the team's strategy, the
    major-incident check); ``triage=False``: as just created, its triage still pending."""
    from steward.incidents.models import Incident
    from steward.incidents.services import incident_create
    from steward.incidents.services.triage import incident_triage

    n = next(_seq)
    requester = requester if requester is not None else person()
    fields.setdefault("title", f"故障 {n}")
    created = incident_create(
        actor=actor if actor is not None else requester, requester=requester, **fields
    )
    if not triage:
        return created
    incident_triage(triage_id=created.triage.pk)
    return Incident.objects.get(pk=created.pk)


def incident_in(
    status: str, *, agent: Any, hold_reason: str = "awaiting_vendor", **fields: Any
) -> Any:
    """An incident driven to ``status`` through the services by ``agent``, who must be able to
    work it (a member of the service's support team, or an administrator)."""
    from steward.incidents import services as incidents

    record = incident(**fields)
    if status == "new":
        return record
    if status == "cancelled":
        return incidents.incident_cancel(actor=agent, incident=record, reason="重复报告")
    if status == "assigned":
        return incidents.incident_assign(actor=agent, incident=record, assignee=agent)
    record = incidents.incident_start(actor=agent, incident=record)
    if status == "on_hold":
        return incidents.incident_hold(actor=agent, incident=record, reason=hold_reason)
    if status in {"resolved", "closed"}:
        record = incidents.incident_resolve(
            actor=agent,
            incident=record,
            resolution_code="solution_provided",
            resolution_note="重启收银机后恢复。",
        )
    if status == "closed":
        record = incidents.incident_close(actor=agent, incident=record)
    assert record.status == status, f"cannot build an incident in {status}"
    return record


def service_request(*, requester: Any = None, actor: Any = None, **fields: Any) -> Any:
    """A service request raised through ``request_submit`` (by its requester unless ``actor``)
    for ``item`` (required) with ``answers`` to its form."""
    from steward.fulfilment.services import request_submit

    requester = requester if requester is not None else person()
    fields.setdefault("answers", {})
    return request_submit(
        actor=actor if actor is not None else requester, requester=requester, **fields
    )


def approval_delegation(*, delegator: Any, delegate: Any, **fields: Any) -> Any:
    """``delegate`` decides ``delegator``'s approvals (default: today for a week)."""
    import datetime as dt

    from django.utils import timezone

    from steward.fulfilment.services import delegation_set

    fields.setdefault("starts_on", timezone.localdate())
    fields.setdefault("ends_on", fields["starts_on"] + dt.timedelta(days=7))
    return delegation_set(actor=delegator, delegator=delegator, delegate=delegate, **fields)
