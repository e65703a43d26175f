"""The configuration cache: values kept per process while the database's configuration stamp
stays put; every write to a watched table, by any path, moves the stamp."""

from __future__ import annotations

import logging

import pytest
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.core import config_cache
from steward.core.config_cache import WatchConfig, cached, config_snapshot, read_stamp
from steward.core.models import ConfigStamp
from steward.identity.models import (
    Department,
    Person,
    Role,
    RoleGrant,
    Site,
    SiteGroup,
    TeamMembership,
)
from steward.identity.permissions import roles_of, team_ids_of
from steward.identity.selectors import person_with_org_units, site_group_ids
from steward.identity.services import person_set_roles
from steward.identity.services.org import department_update, site_update, team_set_members
from steward.incidents import selectors
from steward.incidents.models import PriorityRule, RoutingRule
from steward.incidents.selectors import references_resolve
from steward.incidents.selectors_routing import active_rules
from steward.incidents.services import incident_create
from steward.notifications.models import MessageTemplate
from steward.notifications.rendering import render_message
from steward.sla.services.matching import agreements_for
from steward.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stamp_row():
    """A transactional test elsewhere may have flushed the stamp row; these need it."""
    ConfigStamp.objects.get_or_create(id=1, defaults={"stamp": 12345})
    config_cache.clear()
    yield
    config_cache.clear()


def watched_in_migrations() -> set[str]:
    loader = MigrationLoader(connection)
    return {
        table
        for migration in loader.disk_migrations.values()
        for operation in migration.operations
        if isinstance(operation, WatchConfig)
        for table in operation.tables
    }


def test_every_table_a_migration_watches_has_its_trigger_after_all_migrations():
    watched = watched_in_migrations()
    assert {"incidents_routingrule", "sla_agreement", "notifications_messagetemplate"} <= watched
    assert watched <= config_cache.triggered_tables()


def test_every_cached_reader_reads_only_watched_tables(caplog):
    service = factories.service()
    site = factories.site()
    with caplog.at_level(logging.ERROR, logger="steward.core.config_cache"):
        selectors.priority_matrix()
        selectors.incident_policy()
        active_rules()
        site_group_ids(site.pk)
        agreements_for(service=service, on=timezone.localdate())
        render_message(event="incident.created", language="en", context={"number": "INC-1"})
        roles_of(factories.person(roles=(Role.AGENT,)))
        references_resolve(service_id=service.pk)
    assert config_cache._unwatched == set()
    assert "without their change trigger" not in caplog.text


@pytest.mark.parametrize("write", ["create", "update", "queryset_update", "delete", "raw_sql"])
def test_every_kind_of_write_to_a_watched_table_moves_the_stamp(write):
    rule = PriorityRule.objects.get(impact=1, urgency=1)
    before = read_stamp()
    if write == "create":
        SiteGroup.objects.create(code="NORTH", name="北区")
    elif write == "update":
        rule.priority = 2
        rule.save()
    elif write == "queryset_update":
        PriorityRule.objects.filter(pk=rule.pk).update(priority=2)
    elif write == "delete":
        rule.delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE incidents_priorityrule SET priority = 2 WHERE id = %s", [rule.pk]
            )
    assert read_stamp() != before


def test_a_write_to_another_table_leaves_the_stamp_alone():
    requester = factories.person()  # role grants are watched: before the stamp is read
    before = read_stamp()
    factories.person(roles=())
    incident_create(actor=requester, title="收银机无法开机")
    assert read_stamp() == before


def test_a_cached_value_costs_one_small_query_and_nothing_inside_a_snapshot():
    selectors.priority_matrix()
    with CaptureQueriesContext(connection) as queries:
        selectors.priority_matrix()
    assert [q["sql"] for q in queries.captured_queries] == [
        "SELECT stamp FROM core_configstamp WHERE id = 1"
    ]
    with CaptureQueriesContext(connection) as queries, config_snapshot():
        selectors.priority_matrix()
        selectors.priority_matrix()
    assert len(queries.captured_queries) == 1


def test_a_bulk_update_is_seen_at_once():
    assert selectors.priority_matrix()[(3, 3)] == 5
    PriorityRule.objects.filter(impact=3, urgency=3).update(priority=4)
    assert selectors.priority_matrix()[(3, 3)] == 4


def test_a_value_built_in_a_rolled_back_transaction_is_never_served():
    before = selectors.priority_matrix()[(3, 3)]
    seen: list[int] = []

    def change_then_fail() -> None:
        with transaction.atomic():
            PriorityRule.objects.filter(impact=3, urgency=3).update(priority=1)
            seen.append(selectors.priority_matrix()[(3, 3)])  # cached under the doomed stamp
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen == [1]
    assert selectors.priority_matrix()[(3, 3)] == before


def test_routing_rules_follow_their_team_being_switched_off():
    team = factories.team()
    RoutingRule.objects.create(name="POS", team=team, position=10)
    assert [r.name for r in active_rules()] == ["POS"]
    type(team).objects.filter(pk=team.pk).update(is_active=False)
    assert active_rules() == []


def test_site_groups_follow_membership_changes():
    site = factories.site()
    group = SiteGroup.objects.create(code="EAST", name="华东")
    assert site_group_ids(site.pk) == frozenset()
    group.sites.add(site)
    assert site_group_ids(site.pk) == {group.pk}
    group.sites.remove(site)
    assert site_group_ids(site.pk) == frozenset()


def test_an_edited_message_template_renders_at_once():
    template = MessageTemplate.objects.get(event="incident.created", language="en")
    render_message(event="incident.created", language="en", context={"number": "INC-1"})
    MessageTemplate.objects.filter(pk=template.pk).update(subject="Got {{ number }}")
    rendered = render_message(event="incident.created", language="en", context={"number": "INC-1"})
    assert rendered.subject == "Got INC-1"


def test_a_revoked_role_is_gone_from_the_next_request():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    agent = factories.person(roles=(Role.AGENT,))

    def roles_in_a_request() -> frozenset[str]:
        # A request loads the person afresh, as the middleware and token authentication do,
        # and reads its roles inside a snapshot, as the intake endpoint does.
        with config_snapshot():
            return roles_of(Person.objects.get(pk=agent.pk))

    assert roles_in_a_request() == {Role.AGENT}
    with CaptureQueriesContext(connection) as queries:
        assert roles_in_a_request() == {Role.AGENT}
    assert not any("identity_rolegrant" in q["sql"] for q in queries.captured_queries)
    person_set_roles(actor=admin, person=agent, roles=[])
    assert roles_in_a_request() == frozenset()
    RoleGrant.objects.create(person=agent, role=Role.TEAM_LEAD)  # also without the service
    assert roles_in_a_request() == {Role.TEAM_LEAD}


def test_a_team_membership_change_is_seen_by_the_next_request():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    agent = factories.person(roles=(Role.AGENT,))
    desk, network = factories.team(code="DESK"), factories.team(code="NET")
    team_set_members(actor=admin, team=desk, members=[agent])

    def teams_in_a_request() -> frozenset[int]:
        with config_snapshot():
            return team_ids_of(Person.objects.get(pk=agent.pk))

    assert teams_in_a_request() == {desk.pk}
    with CaptureQueriesContext(connection) as queries:
        assert teams_in_a_request() == {desk.pk}
    assert not any("identity_teammembership" in q["sql"] for q in queries.captured_queries)
    team_set_members(actor=admin, team=network, members=[agent])
    assert teams_in_a_request() == {desk.pk, network.pk}
    TeamMembership.objects.filter(team=desk).delete()  # also without the service
    assert teams_in_a_request() == {network.pk}
    # Outside a snapshot the membership is read, not cached.
    with CaptureQueriesContext(connection) as queries:
        assert team_ids_of(Person.objects.get(pk=agent.pk)) == {network.pk}
    assert any("identity_teammembership" in q["sql"] for q in queries.captured_queries)


def test_a_moved_department_or_renamed_site_is_seen_by_the_next_intake():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    retail, logistics = factories.department(), factories.department()
    stores = factories.department(parent=retail)
    site = factories.site(name="一号店")
    requester = factories.person(department=stores, site=site)

    def org_units_in_a_request() -> tuple[int | None, str]:
        with config_snapshot():
            found = person_with_org_units(requester.pk)
            assert found is not None
            return found.department.parent_id, found.site.name

    assert org_units_in_a_request() == (retail.pk, "一号店")
    with CaptureQueriesContext(connection) as queries:
        assert org_units_in_a_request() == (retail.pk, "一号店")
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "identity_department" not in read
    assert "identity_site" not in read
    department_update(actor=admin, department=stores, changes={"parent": logistics})
    assert org_units_in_a_request() == (logistics.pk, "一号店")
    site_update(actor=admin, site=site, changes={"name": "一号旗舰店"})
    assert org_units_in_a_request() == (logistics.pk, "一号旗舰店")
    Department.objects.filter(pk=stores.pk).update(parent=None)  # also without the service
    Site.objects.filter(pk=site.pk).update(name="一号店")
    assert org_units_in_a_request() == (None, "一号店")


def test_a_renamed_or_retired_service_is_seen_by_the_next_intake():
    service = factories.service()

    def lifecycle_in_a_request() -> str:
        with config_snapshot():
            return str(references_resolve(service_id=service.pk)["service"].lifecycle)

    assert lifecycle_in_a_request() != "retired"
    with CaptureQueriesContext(connection) as queries:
        lifecycle_in_a_request()
    assert not any("catalogue_service" in q["sql"] for q in queries.captured_queries)
    type(service).objects.filter(pk=service.pk).update(lifecycle="retired")
    assert lifecycle_in_a_request() == "retired"


def test_a_snapshot_only_value_is_built_outside_a_snapshot_and_kept_inside():
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    key = ("test", "snapshot-only")
    with CaptureQueriesContext(connection) as queries:
        assert cached(key, build, watch=[PriorityRule], snapshot_only=True) == 1
        assert cached(key, build, watch=[PriorityRule], snapshot_only=True) == 2
    assert queries.captured_queries == []  # no stamp read outside a snapshot
    with config_snapshot():
        assert cached(key, build, watch=[PriorityRule], snapshot_only=True) == 3
        assert cached(key, build, watch=[PriorityRule], snapshot_only=True) == 3


def test_without_the_stamp_row_nothing_is_cached():
    ConfigStamp.objects.all().delete()
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert cached(("test", "no-row"), build, watch=[PriorityRule]) == 1
    assert cached(("test", "no-row"), build, watch=[PriorityRule]) == 2


def test_a_table_that_lost_its_trigger_is_read_every_time_and_logged(caplog):
    with connection.cursor() as cursor:
        for sql in config_cache.remove_sql(connection.vendor, "incidents_priorityrule"):
            cursor.execute(sql)
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    with caplog.at_level(logging.ERROR, logger="steward.core.config_cache"):
        assert cached(("test", "lost"), build, watch=[PriorityRule]) == 1
        assert cached(("test", "lost"), build, watch=[PriorityRule]) == 2
    assert "incidents_priorityrule" in caplog.text
