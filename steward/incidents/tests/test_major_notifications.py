"""The messages of a major incident's life: its declaration (to the manager, the service owner
and the IT manager), the change of its manager (to the new and the previous one) and its
completed review (to the service owner, the IT manager and each action's owner), written in the
transaction of the change, one per person and event, in the recipient's language."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from steward.catalogue.models import Service
from steward.core.errors import NotPermitted
from steward.identity.models import Role
from steward.incidents import services
from steward.incidents.models import MajorIncident
from steward.incidents.services import major, review
from steward.incidents.services.config import incident_policy_update
from steward.notifications.models import Delivery, MessageTemplate, Notification
from steward.notifications.rendering import render_message
from steward.testing import factories

pytestmark = pytest.mark.django_db

LINK = "http://127.0.0.1:8000/console/incidents/INC-000001/"


@pytest.fixture
def critical(service: Any) -> Any:
    Service.objects.filter(pk=service.pk).update(criticality=1)
    service.refresh_from_db()
    return service


@pytest.fixture
def it_manager(db: Any, settings: Any) -> Any:
    settings.STEWARD_BASE_URL = "http://127.0.0.1:8000"
    person = factories.person(
        roles=(Role.TEAM_LEAD,), name="周经理", name_en="Zhou", language="en"
    )
    incident_policy_update(
        actor=factories.person(roles=(Role.ADMINISTRATOR,)), changes={"it_manager": person}
    )
    return person


def sent(event: str) -> list[Notification]:
    return list(Notification.objects.filter(event=event).order_by("recipient_id", "pk"))


def by_recipient(event: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in sent(event)}


def test_a_priority_1_declared_automatically_tells_manager_service_owner_and_it_manager(
    raise_incident: Any, critical: Any, lead: Any, it_manager: Any
) -> None:
    raise_incident(impact=1, urgency=1)

    notes = by_recipient("incident.major_declared")
    assert sorted(notes) == sorted([lead.pk, critical.owner_id, it_manager.pk])
    assert {pk: n.language for pk, n in notes.items()} == {
        lead.pk: "zh-hans",
        critical.owner_id: "zh-hans",
        it_manager.pk: "en",
    }
    to_lead = notes[lead.pk]
    assert to_lead.subject == "[重大故障 INC-000001] 已宣布为重大故障：收银机无法开机"
    assert "受影响服务：门店收银" in to_lead.body
    assert "判定依据：关键服务上的 1 级优先级" in to_lead.body
    assert "系统按重大故障判定标准自动宣布" in to_lead.body
    assert "重大故障经理：您本人" in to_lead.body
    assert "首次进展通报截止：2026-03-02 10:45" in to_lead.body
    assert f"处理详情：{LINK}" in to_lead.body
    assert "重大故障经理：李组长" in notes[critical.owner_id].body
    to_manager = notes[it_manager.pk]
    assert to_manager.subject == "[Major incident INC-000001] declared: 收银机无法开机"
    assert "Service: Store checkout" in to_manager.body
    assert "Criterion: Priority 1 on a critical service" in to_manager.body
    assert "Declared: automatically, by the major-incident criteria" in to_manager.body
    assert "Major-incident manager: Li" in to_manager.body
    assert {(n.link, n.thread_key, n.actor_id) for n in notes.values()} == {
        (LINK, "major-INC-000001", None)
    }
    assert Delivery.objects.filter(notification__in=notes.values()).count() == 3


def test_a_declaration_by_hand_names_who_declared_it(
    raise_incident: Any, service: Any, lead: Any, it_manager: Any
) -> None:
    incident = raise_incident()
    assert sent("incident.major_declared") == []

    major.major_declare(actor=lead, incident=incident, reason="总部网络中断")

    notes = by_recipient("incident.major_declared")
    assert sorted(notes) == sorted([lead.pk, service.owner_id, it_manager.pk])
    assert "判定依据：手动宣布" in notes[service.owner_id].body
    assert "原因：总部网络中断" in notes[service.owner_id].body
    assert "宣布方式：由 李组长 手动宣布" in notes[service.owner_id].body
    assert "Declared: by Li, 2026-03-02 10:15" in notes[it_manager.pk].body
    assert {n.actor_id for n in notes.values()} == {lead.pk}


def test_without_a_manager_the_team_lead_is_told(
    raise_incident: Any, it_manager: Any
) -> None:
    boss = factories.person(name="门店经理")  # leads the team, but is no agent to manage it
    team = factories.team(code="STORE", name="门店支持组", lead=boss)
    store = factories.service(code="STORE", name="门店系统", support_team=team, criticality=1)

    incident = raise_incident(service=store, impact=1, urgency=1)

    notes = by_recipient("incident.major_declared")
    assert MajorIncident.objects.get(incident=incident).owner_id is None
    assert sorted(notes) == sorted([boss.pk, store.owner_id, it_manager.pk])
    assert "重大故障经理：尚未指定，请尽快指定" in notes[boss.pk].body
    assert "Major-incident manager: not named yet, please name one" in notes[it_manager.pk].body


def test_a_declaration_that_rolls_back_sends_nothing(
    raise_incident: Any, lead: Any, it_manager: Any
) -> None:
    incident = raise_incident()
    deliveries = Delivery.objects.count()  # the requester's acknowledgement

    written = []

    def declare_then_fail() -> None:
        with transaction.atomic():
            major.major_declare(actor=lead, incident=incident, reason="总部网络中断")
            written.append(len(sent("incident.major_declared")))
            raise RuntimeError("the caller failed after declaring")

    with pytest.raises(RuntimeError):
        declare_then_fail()

    assert written == [3]  # written in the transaction, and gone with it
    assert (MajorIncident.objects.count(), sent("incident.major_declared")) == (0, [])
    assert Delivery.objects.count() == deliveries


def test_a_refused_declaration_sends_nothing(
    raise_incident: Any, agent: Any, it_manager: Any
) -> None:
    incident = raise_incident()

    with pytest.raises(NotPermitted):
        major.major_declare(actor=agent, incident=incident, reason="总部网络中断")

    assert sent("incident.major_declared") == []


@pytest.fixture
def declared(raise_incident: Any, critical: Any, lead: Any, it_manager: Any) -> Any:
    incident = raise_incident(impact=1, urgency=1)
    return MajorIncident.objects.select_related("incident").get(incident=incident)


def test_a_new_manager_is_told_and_the_previous_one_hands_over(
    declared: Any, lead: Any, agent: Any, clock: Any
) -> None:
    major.major_set_owner(
        actor=lead, major=declared, owner=agent, update_interval_minutes=60, version=1
    )

    [to_agent] = sent("incident.major_owner_changed")
    [to_lead] = sent("incident.major_handed_over")
    assert (to_agent.recipient_id, to_lead.recipient_id) == (agent.pk, lead.pk)
    assert to_agent.subject == "[重大故障 INC-000001] 您已成为重大故障经理：收银机无法开机"
    assert "您已接任重大故障 INC-000001「收银机无法开机」的重大故障经理" in to_agent.body
    assert "前任经理：李组长\n变更人：李组长\n" in to_agent.body
    assert "通报间隔：每 60 分钟" in to_agent.body
    assert "下次进展通报截止：2026-03-02 11:15" in to_agent.body
    assert "已由您移交给 王工" in to_lead.body
    assert "（由" not in to_lead.body  # he made the change himself
    assert "下次进展通报截止时间为 2026-03-02 11:15" in to_lead.body
    assert {(n.thread_key, n.link, n.actor_id) for n in (to_agent, to_lead)} == {
        ("major-INC-000001", LINK, lead.pk)
    }


def test_a_changed_interval_alone_tells_nobody(declared: Any, lead: Any) -> None:
    major.major_set_owner(
        actor=lead, major=declared, owner=lead, update_interval_minutes=60, version=1
    )

    assert (
        sent("incident.major_owner_changed"),
        sent("incident.major_handed_over"),
    ) == ([], [])


def resolve(incident: Any, agent: Any) -> Any:
    return services.incident_resolve(
        actor=agent,
        incident=incident,
        resolution_code="solution_provided",
        resolution_note="切换到备份专线。",
    )


def test_the_completed_review_goes_to_the_service_owner_it_manager_and_action_owners(
    declared: Any, lead: Any, agent: Any, network_agent: Any, critical: Any, it_manager: Any
) -> None:
    resolve(declared.incident, agent)
    actions = [
        {"description": "专线增加备份链路", "owner": agent, "due_on": dt.date(2026, 3, 31)},
        {"description": "核心交换机巡检", "owner": network_agent, "due_on": dt.date(2026, 3, 20)},
        {"description": "更新应急预案", "owner": agent, "due_on": dt.date(2026, 4, 15)},
    ]

    review.major_review_save(
        actor=lead,
        major=declared,
        timeline_summary="10:15 报障，10:40 恢复",
        cause="运营商专线中断，且无备份链路",
        actions=actions,
        complete=True,
    )

    summaries = by_recipient("incident.major_review_completed")
    assert sorted(summaries) == sorted([critical.owner_id, it_manager.pk])
    to_owner = summaries[critical.owner_id]
    assert to_owner.subject == "[重大故障 INC-000001] 复盘已完成：收银机无法开机"
    assert "故障原因：\n运营商专线中断，且无备份链路" in to_owner.body
    assert "改进措施（共 3 项）：" in to_owner.body
    assert (
        "1. 核心交换机巡检（负责人：赵工，完成期限：2026-03-20）\n"
        "2. 专线增加备份链路（负责人：王工，完成期限：2026-03-31）\n"
        "3. 更新应急预案（负责人：王工，完成期限：2026-04-15）"
    ) in to_owner.body
    assert "Actions (3):" in summaries[it_manager.pk].body
    assert "(owner: Wang, due 2026-03-31)" in summaries[it_manager.pk].body
    assigned = by_recipient("incident.major_review_action")
    assert sorted(assigned) == sorted([agent.pk, network_agent.pk])
    assert (
        "1. 专线增加备份链路（完成期限：2026-03-31）\n2. 更新应急预案（完成期限：2026-04-15）"
    ) in assigned[agent.pk].body
    assert "核心交换机巡检" not in assigned[agent.pk].body
    assert "1. 核心交换机巡检（完成期限：2026-03-20）" in assigned[network_agent.pk].body
    everything = [*summaries.values(), *assigned.values()]
    assert {(n.thread_key, n.link, n.actor_id) for n in everything} == {
        ("major-INC-000001", LINK, lead.pk)
    }


def test_a_draft_review_tells_nobody(declared: Any, lead: Any, agent: Any) -> None:
    resolve(declared.incident, agent)

    review.major_review_save(
        actor=lead,
        major=declared,
        timeline_summary="草稿",
        cause="",
        actions=[{"description": "x", "owner": agent, "due_on": dt.date(2026, 3, 31)}],
    )

    assert Notification.objects.filter(event__startswith="incident.major_review").count() == 0


def test_a_person_in_several_roles_gets_one_message_per_event(
    raise_incident: Any, agent: Any, admin: Any
) -> None:
    chief = factories.person(
        roles=(Role.TEAM_LEAD, Role.SERVICE_OWNER), name="陈主管", name_en="Chen"
    )
    team = factories.team(code="OPS", name="运维组", members=(chief, agent), lead=chief)
    wms = factories.service(
        code="WMS", name="仓储系统", owner=chief, support_team=team, criticality=1
    )
    incident_policy_update(actor=admin, changes={"it_manager": chief})

    incident = raise_incident(service=wms, impact=1, urgency=1)
    resolve(incident, agent)
    review.major_review_save(
        actor=chief,
        major=MajorIncident.objects.get(incident=incident),
        timeline_summary="t",
        cause="数据库锁表",
        actions=[
            {"description": "优化慢查询", "owner": chief, "due_on": dt.date(2026, 3, 31)},
            {"description": "增加监控", "owner": chief, "due_on": dt.date(2026, 4, 30)},
        ],
        complete=True,
    )

    received = sorted(
        Notification.objects.filter(
            recipient=chief, event__startswith="incident.major"
        ).values_list("event", flat=True)
    )
    assert received == [
        "incident.major_declared",
        "incident.major_review_action",
        "incident.major_review_completed",
    ]


SEED = importlib.import_module(
    "steward.notifications.migrations.0010_seed_major_incident_lifecycle_templates"
)
SAMPLE = {
    "number": "INC-000042",
    "title": "总部专线中断",
    "service_name": "门店收银",
    "criterion": "priority",
    "reason": "r",
    "declared_by_name": "",
    "declared_at": dt.datetime(2026, 3, 2, 2, 15, tzinfo=dt.UTC),
    "manager_name": "",
    "is_manager": False,
    "next_update_due_at": dt.datetime(2026, 3, 2, 2, 45, tzinfo=dt.UTC),
    "interval_minutes": 30,
    "owner_name": "王工",
    "previous_name": "李组长",
    "actor_name": "周经理",
    "cause": "c",
    "completed_at": dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC),
    "completed_by_name": "李组长",
    "action_count": 1,
    "actions": [{"description": "d", "owner_name": "王工", "due_on": dt.date(2026, 3, 31)}],
    "recipient_name": "张三",
    "link": LINK,
}


@pytest.mark.parametrize(
    ("_case", "event", "language"), [(f"{e}/{lang}", e, lang) for e, lang, *_ in SEED.TEMPLATES]
)
def test_every_seeded_template_renders_in_its_language(
    _case: str, event: str, language: str
) -> None:
    rendered = render_message(
        event=event, language=language, context=SAMPLE, time_zone="Asia/Shanghai"
    )

    assert rendered.language == language
    assert "INC-000042" in rendered.subject
    assert LINK in rendered.body
    assert "{" not in rendered.subject + rendered.body


def test_rerunning_the_seed_keeps_reworded_templates() -> None:
    MessageTemplate.objects.filter(event="incident.major_declared", language="zh-hans").update(
        subject="重大故障：{{ number }}"
    )
    before = MessageTemplate.objects.count()

    SEED.seed(apps, None)

    assert MessageTemplate.objects.count() == before
    assert MessageTemplate.objects.get(
        event="incident.major_declared", language="zh-hans"
    ).subject == ("重大故障：{{ number }}")
