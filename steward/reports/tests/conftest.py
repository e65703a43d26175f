"""A small service desk with exactly known figures (Shanghai time, China calendar 2026 with
office hours 09:00–12:00 and 13:00–18:00 on working days; 4–6 April is the Qingming holiday).

March 2026
- A  P1, portal. Raised Mon 2 Mar 10:00; the desk agent assigns it to himself 10:30, starts
     11:00 (first response), resolves 14:00; closed Tue 3 Mar 09:00.
     Wall: ack 1 800 s, response 3 600 s, resolution 14 400 s. Business: response 3 600 s
     (breaches the 15-minute P1 target), resolution 10 800 s (lunch excluded, met).
- F  P5, portal. Raised Tue 3 Mar 10:00; the requester writes again 10:10; the agent starts
     10:20 and resolves 10:50. Wall = business: ack and response 1 200 s, resolution 3 000 s.
     Not a first-contact resolution (the requester followed up).
- B  P5, phone. Raised Fri 6 Mar 17:00; the agent starts 17:30; on Mon 9 Mar 09:00 he
     reassigns it to the network team's engineer, who resolves it 10:00.
     Wall: ack and response 1 800 s, resolution 234 000 s (65 h). Business: response 1 800 s,
     resolution 7 200 s (the weekend is not business time). Reassigned once.
- D  P5, portal. Raised Fri 20 Mar 10:00; started 10:05 (300 s) and put on hold. Still open.

April 2026
- C  P5, portal. Raised Thu 2 Apr 17:00; started 17:30; resolved Tue 7 Apr 10:00; the
     requester reopens Wed 8 Apr 09:00; resolved again 11:00.
     Wall resolution 496 800 s. Business 43 200 s: Thu 1 h + Fri 8 h + (holiday Sat–Mon) +
     Tue 1 h + (resolved interval paused) + Wed 2 h. Reopened once.
- E  P5, e-mail. Raised Fri 10 Apr 09:00, still new.

"Now" for the backlog: Fri 10 Apr 2026 12:00 → D is 21 days old (7–30 d), E 3 hours (< 1 d).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from steward.incidents import services as incidents
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    Clock,
    admin,
    agent,
    agreement,
    auditor,
    clock,
    desk,
    lead,
    network,
    network_agent,
    requester,
    service,
)
from steward.sla.tests.conftest import at, china  # noqa: F401 - fixture
from steward.testing import factories

NOW = at(2026, 4, 10, 12, 0)


@dataclass
class Desk:
    agent: Any
    network_agent: Any
    lead: Any
    requester: Any
    desk: Any
    network: Any
    service: Any
    a: Any = None
    b: Any = None
    c: Any = None
    d: Any = None
    e: Any = None
    f: Any = None


def _raise(clock: Clock, when: Any, desk: Desk, **fields: Any) -> Any:
    clock.set(when)
    fields.setdefault("requester", desk.requester)
    fields.setdefault("service", desk.service)
    if fields.get("channel", "portal") != "portal":
        fields.setdefault("actor", desk.agent)
    return factories.incident(**fields)


def _resolve(actor: Any, record: Any) -> Any:
    return incidents.incident_resolve(
        actor=actor, incident=record, resolution_code="solution_provided", resolution_note="好了"
    )


@pytest.fixture
def known(
    clock: Clock, agreement: Any, agent: Any, network_agent: Any, lead: Any, requester: Any,
    desk: Any, network: Any, service: Any,
) -> Desk:
    d = Desk(agent, network_agent, lead, requester, desk, network, service)
    d.a = _raise(clock, at(2026, 3, 2, 10, 0), d, impact=1, urgency=1, title="收银机无法开机")
    clock.set(at(2026, 3, 2, 10, 30))
    d.a = incidents.incident_assign(actor=agent, incident=d.a, assignee=agent)
    clock.set(at(2026, 3, 2, 11, 0))
    d.a = incidents.incident_start(actor=agent, incident=d.a)
    clock.set(at(2026, 3, 2, 14, 0))
    d.a = _resolve(agent, d.a)
    clock.set(at(2026, 3, 3, 9, 0))
    d.a = incidents.incident_close(actor=agent, incident=d.a)

    d.f = _raise(clock, at(2026, 3, 3, 10, 0), d, title="小票打印机卡纸")
    clock.set(at(2026, 3, 3, 10, 10))
    incidents.incident_comment(actor=requester, incident=d.f, body="还是不行", public=True)
    clock.set(at(2026, 3, 3, 10, 20))
    d.f = incidents.incident_start(actor=agent, incident=d.f)
    clock.set(at(2026, 3, 3, 10, 50))
    d.f = _resolve(agent, d.f)

    d.b = _raise(clock, at(2026, 3, 6, 17, 0), d, channel="phone", title="门店网络中断")
    clock.set(at(2026, 3, 6, 17, 30))
    d.b = incidents.incident_start(actor=agent, incident=d.b)
    clock.set(at(2026, 3, 9, 9, 0))
    d.b = incidents.incident_assign(
        actor=agent, incident=d.b, team=network, assignee=network_agent
    )
    clock.set(at(2026, 3, 9, 10, 0))
    d.b = _resolve(network_agent, d.b)

    d.d = _raise(clock, at(2026, 3, 20, 10, 0), d, title="会员积分不同步")
    clock.set(at(2026, 3, 20, 10, 5))
    d.d = incidents.incident_start(actor=agent, incident=d.d)
    d.d = incidents.incident_hold(actor=agent, incident=d.d, reason="awaiting_vendor")

    d.c = _raise(clock, at(2026, 4, 2, 17, 0), d, title="价签打印错误")
    clock.set(at(2026, 4, 2, 17, 30))
    d.c = incidents.incident_start(actor=agent, incident=d.c)
    clock.set(at(2026, 4, 7, 10, 0))
    d.c = _resolve(agent, d.c)
    clock.set(at(2026, 4, 8, 9, 0))
    d.c = incidents.incident_reopen(actor=requester, incident=d.c, reason="又出现了")
    clock.set(at(2026, 4, 8, 11, 0))
    d.c = _resolve(agent, d.c)

    d.e = _raise(clock, at(2026, 4, 10, 9, 0), d, channel="email", title="邮件无法发送")
    clock.set(NOW)
    return d
