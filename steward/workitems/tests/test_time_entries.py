"""Time entries on records: people log their own time, team leads correct their team's,
refusals (minutes <= 0, future dates, strangers) write nothing; totals per record and sums per
person and period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.core.errors import Conflict, NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories
from steward.workitems.time_models import ActivityType, TimeEntry
from steward.workitems.time_selectors import (
    time_sums_by_person,
    time_totals_for,
)
from steward.workitems.time_services import time_entry_delete, time_entry_log, time_entry_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    agent = factories.person(roles=(Role.AGENT,), name="王工")
    other = factories.person(roles=(Role.AGENT,), name="赵工")
    lead = factories.person(roles=(Role.TEAM_LEAD,), name="李组长")
    stranger_lead = factories.person(roles=(Role.TEAM_LEAD,), name="外组组长")
    team = factories.team(code="DESK", members=(agent, other, lead))
    service = factories.service(code="POS", support_team=team)
    return {"agent": agent, "other": other, "lead": lead, "stranger_lead": stranger_lead,
            "record": factories.incident(service=service), "requester": factories.person()}


def time_audit() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="time_").values_list("action", flat=True)
    )


def test_an_agent_logs_time_and_the_record_timeline_shows_it(people):
    onsite = ActivityType.objects.get(code="onsite")
    today = timezone.localdate()

    entry = time_entry_log(actor=people["agent"], record=people["record"], minutes=45,
                           activity=onsite, note="到店更换电源")

    assert (entry.person_id, entry.minutes, entry.work_date, entry.activity_id, entry.note,
            entry.record_number) == (people["agent"].pk, 45, today, onsite.pk, "到店更换电源",
                                     people["record"].number)
    logged = AuditEntry.objects.get(action="time_logged")
    assert (logged.object_id, logged.changes["minutes"]) == (str(people["record"].pk), 45)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 30, "work_date": dt.date(2999, 1, 1)}, "work_date"),
        ({"minutes": 30, "note": "x" * 501}, "note"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_written(people, fields, field):
    with pytest.raises(ValidationFailed) as caught:
        time_entry_log(actor=people["agent"], record=people["record"], **fields)

    assert caught.value.field == field
    assert (TimeEntry.objects.count(), time_audit()) == (0, [])


def test_a_retired_activity_is_refused(people):
    retired = ActivityType.objects.create(code="old", name="旧", is_active=False)

    with pytest.raises(ValidationFailed) as caught:
        time_entry_log(actor=people["agent"], record=people["record"], minutes=5,
                       activity=retired)

    assert caught.value.field == "activity_id"
    assert TimeEntry.objects.count() == 0


def test_requesters_and_other_agents_cannot_log_for_someone(people):
    with pytest.raises(NotPermitted):
        time_entry_log(actor=people["requester"], record=people["record"], minutes=5)
    with pytest.raises(NotPermitted):
        time_entry_log(actor=people["other"], record=people["record"], minutes=5,
                       person=people["agent"])

    assert (TimeEntry.objects.count(), time_audit()) == (0, [])


def test_own_entries_are_edited_and_deleted_others_only_by_their_team_lead(people):
    entry = time_entry_log(actor=people["agent"], record=people["record"], minutes=30)

    with pytest.raises(NotPermitted):
        time_entry_update(actor=people["other"], entry=entry, version=1,
                          changes={"minutes": 10})
    with pytest.raises(NotPermitted):
        time_entry_delete(actor=people["stranger_lead"], entry=entry)
    assert TimeEntry.objects.get().minutes == 30

    own = time_entry_update(actor=people["agent"], entry=entry, version=1,
                            changes={"minutes": 40})
    corrected = time_entry_update(actor=people["lead"], entry=own, version=2,
                                  changes={"minutes": 35, "note": "按工时单更正"})

    assert (corrected.minutes, corrected.version, corrected.note) == (35, 3, "按工时单更正")
    time_entry_delete(actor=people["lead"], entry=corrected)
    assert TimeEntry.objects.count() == 0
    assert time_audit() == ["time_logged", "time_changed", "time_changed", "time_deleted"]


def test_a_stale_version_and_zero_minutes_change_nothing(people):
    entry = time_entry_log(actor=people["agent"], record=people["record"], minutes=30)
    time_entry_update(actor=people["agent"], entry=entry, version=1, changes={"minutes": 20})

    with pytest.raises(Conflict):
        time_entry_update(actor=people["agent"], entry=entry, version=1,
                          changes={"minutes": 25})
    with pytest.raises(ValidationFailed):
        time_entry_update(actor=people["agent"], entry=entry, version=2,
                          changes={"minutes": 0})

    assert TimeEntry.objects.values_list("minutes", "version").get() == (20, 2)


def test_totals_per_record_and_person(people):
    record = people["record"]
    time_entry_log(actor=people["agent"], record=record, minutes=30)
    time_entry_log(actor=people["agent"], record=record, minutes=15)
    time_entry_log(actor=people["other"], record=record, minutes=60)

    totals = time_totals_for(record=record)

    assert totals.minutes == 105
    assert [(p.person_id, p.minutes, p.entries) for p in totals.by_person] == [
        (people["other"].pk, 60, 1), (people["agent"].pk, 45, 2)
    ]


def test_sums_per_person_and_month_for_cost_accounting(people):
    record = people["record"]
    agent, other = people["agent"], people["other"]
    for who, day, minutes in [
        (agent, dt.date(2026, 1, 5), 30), (agent, dt.date(2026, 1, 20), 60),
        (agent, dt.date(2026, 2, 2), 10), (other, dt.date(2026, 1, 7), 90),
    ]:
        time_entry_log(actor=who, record=record, minutes=minutes, work_date=day)

    sums = time_sums_by_person(user=people["lead"], start=dt.date(2026, 1, 1),
                               end=dt.date(2026, 2, 28))
    weekly = time_sums_by_person(user=agent, start=dt.date(2026, 1, 1),
                                 end=dt.date(2026, 1, 31), period="week", person_ids=[agent.pk])

    assert [(s.person_id, s.period, s.minutes) for s in sums] == [
        (agent.pk, dt.date(2026, 1, 1), 90), (agent.pk, dt.date(2026, 2, 1), 10),
        (other.pk, dt.date(2026, 1, 1), 90),
    ]
    assert [(s.period, s.minutes) for s in weekly] == [
        (dt.date(2026, 1, 5), 30), (dt.date(2026, 1, 19), 60)
    ]


def test_an_agent_sees_only_their_own_sums(people):
    with pytest.raises(NotPermitted):
        time_sums_by_person(user=people["agent"], start=dt.date(2026, 1, 1),
                            end=dt.date(2026, 1, 31))
