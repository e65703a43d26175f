"""Fixtures of the fulfilment tests: a laptop request item with a form of every field type,
approval by the requester's manager, two ordered tasks, a customer SLA with a fulfilment
metric on the China calendar, a controllable clock and a recorder of domain events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from steward.audit.models import AuditEntry
from steward.core import events as core_events
from steward.fulfilment.events import ALL_EVENTS
from steward.fulfilment.models import ServiceRequest
from steward.identity.models import Role
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    MONDAY,
    Clock,
    EventLog,
    clock,
    isolated_subscribers,
)
from steward.sla import services as sla
from steward.sla.models import SlaClock
from steward.sla.tests.conftest import china  # noqa: F401 - fixture
from steward.testing import factories

LAPTOP_FORM = [
    {"key": "model", "type": "choice", "label": "型号", "label_en": "Model", "required": True,
     "choices": [{"value": "t14", "label": "ThinkPad T14"},
                 {"value": "x1", "label": "ThinkPad X1"}]},
    {"key": "reason", "type": "long_text", "label": "用途", "required": True},
    {"key": "asset_tag", "type": "text", "label": "旧资产号", "pattern": "[A-Z]{2}[0-9]{4}"},
    {"key": "extras", "type": "multi_choice", "label": "配件",
     "choices": [{"value": "mouse", "label": "鼠标"}, {"value": "bag", "label": "电脑包"}]},
    {"key": "for_person", "type": "person", "label": "使用人"},
    {"key": "needed_by", "type": "date", "label": "需要日期"},
    {"key": "quantity", "type": "number", "label": "数量", "min": 1, "max": 5},
    {"key": "quote", "type": "attachment", "label": "报价单"},
    {"key": "old_device", "type": "ci", "label": "旧设备"},
]
FULFILMENT = {"1": 480, "2": 960, "3": 1440, "4": 2400, "5": 4800}


@pytest.fixture
def events(isolated_subscribers: None, django_capture_on_commit_callbacks: Any) -> EventLog:
    log = EventLog(django_capture_on_commit_callbacks)
    for event_type in ALL_EVENTS:
        core_events.subscribe(event_type, log.append)
    return log


@pytest.fixture
def agent(db: Any) -> Any:
    return factories.person(roles=(Role.AGENT,), name="王工", name_en="Wang")


@pytest.fixture
def desk(agent: Any) -> Any:
    return factories.team(code="DESK", name="服务台", members=(agent,))


@pytest.fixture
def stock_agent(db: Any) -> Any:
    return factories.person(roles=(Role.AGENT,), name="孙工")


@pytest.fixture
def stock(stock_agent: Any) -> Any:
    return factories.team(code="STOCK", name="资产组", members=(stock_agent,))


@pytest.fixture
def manager(db: Any) -> Any:
    return factories.person(name="陈经理", name_en="Chen")


@pytest.fixture
def requester(manager: Any) -> Any:
    store = factories.department(code="STORES", name="门店运营部")
    return factories.person(
        name="张店长", department=store, manager=manager,
        site=factories.site(name="上海徐汇店", department=store),
    )


@pytest.fixture
def service(desk: Any) -> Any:
    return factories.service(code="IT-EQ", name="IT 设备", name_en="IT equipment",
                             support_team=desk)


@pytest.fixture
def agreement(china: Any, service: Any) -> Any:  # noqa: F811 - fixture
    agreement = sla.agreement_create(
        actor=None, code="SLA-EQ", name="设备服务级别协议", service=service,
        valid_from=dt.date(2026, 1, 1),
    )
    sla.metric_set(
        actor=None, agreement=agreement, kind="fulfilment", calendar=china, targets=FULFILMENT,
        start_states=["submitted"], pause_states=["awaiting_approval"],
        stop_states=["fulfilled"], cancel_states=["cancelled", "rejected"],
    )
    sla.agreement_activate(actor=None, agreement=agreement)
    return agreement


@pytest.fixture
def laptop(service: Any, desk: Any, stock: Any) -> Any:
    return factories.request_item(
        service=service, code="LAPTOP", name="新笔记本电脑", name_en="New laptop",
        form=LAPTOP_FORM, approval_kind="manager",
        tasks=[{"title": "出库", "team": "STOCK"}, {"title": "安装系统", "team": "DESK"}],
        task_mode="ordered", instructions="按标准镜像安装。", promised_minutes=2400,
    )


@pytest.fixture
def answers() -> dict[str, Any]:
    return {"model": "t14", "reason": "旧电脑坏了"}


@pytest.fixture
def submit(
    clock: Clock, agreement: Any, requester: Any, laptop: Any, answers: dict[str, Any]  # noqa: F811
) -> Callable[..., ServiceRequest]:
    """Raise a laptop request (by the requester unless ``actor``) at the clock."""

    def make(**fields: Any) -> ServiceRequest:
        fields.setdefault("requester", requester)
        fields.setdefault("item", laptop)
        fields.setdefault("answers", answers)
        return factories.service_request(**fields)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """The file storage, empty, in a directory of the test's own."""
    root = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)},
    }}
    return root


def stored_files(media: Path) -> list[Path]:
    """The files in the storage at ``media``."""
    return sorted(p for p in media.rglob("*") if p.is_file())


def audit_actions(request: ServiceRequest) -> list[str]:
    content_type = ContentType.objects.get_for_model(ServiceRequest)
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_id=str(request.pk))
        .order_by("seq").values_list("action", flat=True)
    )


def clocks(request: ServiceRequest) -> dict[str, SlaClock]:
    found = SlaClock.objects.filter(record_number=request.number).order_by("started_at", "pk")
    return {c.kind: c for c in found}


def state_of(request: ServiceRequest) -> dict[str, Any]:
    """What a refused action must leave as it was."""
    return {
        "row": ServiceRequest.objects.filter(pk=request.pk).values().get(),
        "audit": audit_actions(request),
        "approvals": sorted(request.approvals.values_list("pk", "state", "decided_by_id")),
        "tasks": sorted(request.tasks.values_list("pk", "state", "assignee_id", "version")),
    }
