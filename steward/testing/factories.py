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
