"""Fixtures of the CMDB tests: a small class tree, people in roles, a fresh graph index."""

from __future__ import annotations

import pytest
from django.utils import translation

from steward.cmdb import index, services
from steward.identity.models import Role
from steward.testing import factories

SERVER_ATTRIBUTES = [
    {"key": "mgmt_ip", "type": "ip_address", "label": "管理地址", "required": True},
    {"key": "cpu_cores", "type": "integer", "label": "CPU 核数", "min": 1, "max": 1024},
]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (zh-Hans is the default language)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_index():
    """The graph index lives per process; each test starts from an empty one."""
    index.reset()
    yield
    index.reset()


@pytest.fixture
def classes(db):
    """hardware (serial) > server (mgmt_ip required, cpu_cores; under change control);
    software > database (host: reference to a server); service."""
    hardware = services.class_create(
        actor=None,
        code="hardware",
        name="硬件",
        name_en="Hardware",
        attributes=[{"key": "serial_number", "type": "string", "label": "序列号"}],
    )
    server = services.class_create(
        actor=None,
        code="server",
        name="服务器",
        name_en="Server",
        parent=hardware,
        under_change_control=True,
        attributes=SERVER_ATTRIBUTES,
    )
    software = services.class_create(actor=None, code="software", name="软件")
    database = services.class_create(
        actor=None,
        code="database",
        name="数据库",
        parent=software,
        attributes=[{"key": "host", "type": "reference", "label": "服务器", "class": "server"}],
    )
    service = services.class_create(actor=None, code="service", name="服务")
    return {
        "hardware": hardware,
        "server": server,
        "software": software,
        "database": database,
        "service": service,
    }


@pytest.fixture
def team(db):
    return factories.team(code="INFRA", name="基础设施组")


@pytest.fixture
def engineer(team):
    """An agent in the INFRA team."""
    person = factories.person(roles=(Role.AGENT,), username="engineer")
    services_team_add(team, person)
    return person


def services_team_add(team, person):
    from steward.identity.services import team_set_members

    team_set_members(actor=None, team=team, members=[*team.members.all(), person])


@pytest.fixture
def admin(db):
    return factories.person(roles=(Role.ADMINISTRATOR,), username="admin")


@pytest.fixture
def change_manager(db):
    return factories.person(roles=(Role.AGENT, Role.CHANGE_MANAGER), username="cm")


def audit_entries(obj, action=None):
    """The audit entries of one record (any action, or one), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from steward.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("seq")
    return entries.filter(action=action) if action else entries
