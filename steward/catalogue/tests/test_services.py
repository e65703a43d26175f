"""Catalogue services: versioned, audited edits; dependencies; request items; portal view."""

from __future__ import annotations

import pytest

from steward.audit.models import AuditEntry
from steward.catalogue import selectors, services
from steward.catalogue.models import RequestItemVersion, Service
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_service_edit_bumps_version_and_is_audited():
    service = factories.service(code="POS", name="门店收银")
    services.service_update(
        actor=service.owner,
        service=service,
        changes={"name_en": "Store checkout", "criticality": 1},
    )
    service.refresh_from_db()
    assert (service.version, service.name_en, service.criticality) == (2, "Store checkout", 1)
    entry = AuditEntry.objects.filter(object_id=str(service.pk), action="update").get()
    assert entry.changes == {"criticality": [3, 1], "name_en": ["", "Store checkout"]}
    services.service_update(actor=service.owner, service=service, changes={"criticality": 1})
    service.refresh_from_db()
    assert service.version == 2


def test_only_owner_or_admin_edits_a_service():
    service = factories.service()
    other_owner = factories.person(roles=(Role.SERVICE_OWNER,))
    with pytest.raises(NotPermitted):
        services.service_update(actor=other_owner, service=service, changes={"name": "x"})
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    services.service_update(actor=admin, service=service, changes={"name": "新名字"})
    assert Service.objects.get(pk=service.pk).name == "新名字"


def test_criticality_outside_1_to_4_is_a_field_error():
    service = factories.service()
    with pytest.raises(ValidationFailed) as caught:
        services.service_update(actor=None, service=service, changes={"criticality": 7})
    assert caught.value.field == "criticality"
    assert Service.objects.get(pk=service.pk).criticality == 3


def test_dependency_cycles_are_refused():
    erp, db, storage = (factories.service(code=c) for c in ("ERP", "ERPDB", "SAN"))
    services.service_set_dependencies(actor=None, service=erp, depends_on=[db])
    services.service_set_dependencies(actor=None, service=db, depends_on=[storage])
    with pytest.raises(ValidationFailed) as caught:
        services.service_set_dependencies(actor=None, service=storage, depends_on=[erp])
    assert caught.value.field == "depends_on"
    assert list(storage.depends_on.all()) == []
    entry = AuditEntry.objects.filter(object_id=str(erp.pk), action="dependencies").get()
    assert entry.changes == {"depends_on": [[], ["ERPDB"]]}


def test_request_item_revision_keeps_old_versions():
    service = factories.service()
    item = factories.request_item(
        service=service,
        code="LAPTOP",
        name="申请笔记本电脑",
        form=[{"key": "model", "type": "text", "label": "型号"}],
        tasks=[{"title": "准备电脑", "team": service.support_team.code}],
        promised_minutes=960,
    )
    first = item.current
    services.request_item_revise(
        actor=service.owner, item=item, changes={"promised_minutes": 480, "name_en": "New laptop"}
    )
    item.refresh_from_db()
    assert item.current.number == 2
    assert item.current.promised_minutes == 480
    assert RequestItemVersion.objects.get(pk=first.pk).promised_minutes == 960
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="revise").get()
    assert entry.changes["version"] == [1, 2]
    assert entry.changes["promised_minutes"] == [960, 480]


def test_request_item_with_unknown_team_is_refused_and_nothing_written():
    service = factories.service()
    with pytest.raises(ValidationFailed) as caught:
        factories.request_item(service=service, code="BAD", tasks=[{"title": "x", "team": "NOPE"}])
    assert caught.value.field == "tasks"
    assert not service.request_items.exists()


def test_portal_shows_services_to_their_customers_only():
    finance = factories.department(code="FIN")
    hr = factories.department(code="HR")
    finance_clerk = factories.person(department=finance)
    hr_clerk = factories.person(department=hr)
    for_all = factories.service(code="MAIL", name="邮件")
    finance_only = factories.service(code="FINSYS", name="财务系统")
    services.service_set_customers(actor=None, service=finance_only, departments=[finance])
    factories.service(code="NEW", lifecycle="pipeline")
    factories.service(code="INT", visibility="internal")
    assert [s.code for s in selectors.portal_services_for(user=finance_clerk)] == ["FINSYS", "MAIL"]
    assert [s.code for s in selectors.portal_services_for(user=hr_clerk)] == ["MAIL"]
    assert for_all.code == "MAIL"


def test_portal_search_works_in_both_languages():
    requester = factories.person()
    factories.service(code="VPN", name="远程接入", name_en="Remote access", keywords="vpn 远程")
    factories.service(code="MAIL", name="邮件", name_en="E-mail")
    assert [s.code for s in selectors.portal_services_for(user=requester, query="remote")] == [
        "VPN"
    ]
    assert [s.code for s in selectors.portal_services_for(user=requester, query="远程")] == ["VPN"]


def test_owner_must_hold_the_service_owner_role():
    clerk = factories.person()
    with pytest.raises(ValidationFailed) as caught:
        factories.service(code="NOOWNER", owner=clerk)
    assert caught.value.field == "owner"
    service = factories.service()
    with pytest.raises(ValidationFailed):
        services.service_update(actor=None, service=service, changes={"owner": clerk})
    assert Service.objects.get(pk=service.pk).owner_id != clerk.pk
