"""A small hand-made estate for impact tests (see ``build``)."""

from __future__ import annotations

from types import SimpleNamespace

from steward.catalogue.services import service_set_customers, service_set_dependencies
from steward.cmdb import services
from steward.identity.models import Role
from steward.identity.services import person_deactivate, site_group_create
from steward.testing import factories


def build(classes) -> SimpleNamespace:
    """Data centre DC: core, db1+db2 (group ERPDB), erp_app, pos_central, mail.
    Stores S1 (router1 over bb1+lte1 in group ACCESS-S1, pos1a, pos1b) and S2 (router2, pos2).
    Services: POS for the site group STORES, ERP for HQ (FIN below it), WMS for LOG and
    depending on ERP, EMAIL for everyone. People: 2 active (+1 inactive) at S1, 1 at S2,
    1 in HQ, 3 in FIN, 2 in LOG, all at the office HQ-SH.
    """
    e = SimpleNamespace()
    e.hq = factories.department(code="HQ", name="总部")
    e.fin = factories.department(code="FIN", name="财务部", parent=e.hq)
    e.log = factories.department(code="LOG", name="物流部")
    e.dc = factories.site(code="DC", name="数据中心", kind="data_centre")
    e.office = factories.site(code="HQ-SH", name="上海总部", kind="office")
    e.s1 = factories.site(code="S1", name="门店一")
    e.s2 = factories.site(code="S2", name="门店二")
    e.stores = site_group_create(actor=None, code="STORES", name="全部门店", sites=[e.s1, e.s2])
    for site in (e.s1, e.s1, e.s2):
        factories.person(site=site)
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person_deactivate(actor=admin, person=factories.person(site=e.s1))
    factories.person(department=e.hq, site=e.office)
    for _ in range(3):
        factories.person(department=e.fin, site=e.office)
    for _ in range(2):
        factories.person(department=e.log, site=e.office)
    e.pos = factories.service(code="POS", name="门店收银", criticality=1)
    e.erp = factories.service(code="ERP", name="ERP 系统", criticality=1)
    e.wms = factories.service(code="WMS", name="仓储管理", criticality=2)
    e.email = factories.service(code="EMAIL", name="企业邮箱", criticality=2)
    service_set_customers(actor=None, service=e.pos, site_groups=[e.stores])
    service_set_customers(actor=None, service=e.erp, departments=[e.hq])
    service_set_customers(actor=None, service=e.wms, departments=[e.log])
    service_set_dependencies(actor=None, service=e.wms, depends_on=[e.erp])
    for code in ("pos", "erp", "wms", "email"):
        setattr(e, f"{code}_ci", services.ci_for_service(actor=None, service=getattr(e, code)))

    def ci(name, site):
        made = factories.ci(ci_class=classes["software"], name=name, site=site)
        setattr(e, name, made)
        return made

    def rel(source, kind, target):
        factories.relation(source, kind, target)

    core, db1, db2 = ci("core", e.dc), ci("db1", e.dc), ci("db2", e.dc)
    services.group_create(actor=None, code="ERPDB", name="ERP 数据库", members=[db1, db2])
    erp_app, pos_central, mail = ci("erp_app", e.dc), ci("pos_central", e.dc), ci("mail", e.dc)
    for app in (erp_app, pos_central, mail):
        rel(app, "depends_on", core)
    rel(erp_app, "depends_on", db1)
    rel(erp_app, "depends_on", db2)
    rel(erp_app, "used_by", e.erp_ci)
    rel(e.wms_ci, "depends_on", e.erp_ci)
    rel(pos_central, "used_by", e.pos_ci)
    rel(mail, "used_by", e.email_ci)
    router1, bb1, lte1 = ci("router1", e.s1), ci("bb1", e.s1), ci("lte1", e.s1)
    services.group_create(actor=None, code="ACCESS-S1", name="门店一线路", members=[bb1, lte1])
    rel(router1, "connects_to", bb1)
    rel(router1, "connects_to", lte1)
    router2 = ci("router2", e.s2)
    for name, router in (("pos1a", router1), ("pos1b", router1), ("pos2", router2)):
        terminal = ci(name, router.site)
        rel(terminal, "connects_to", router)
        rel(terminal, "used_by", e.pos_ci)
        rel(terminal, "depends_on", pos_central)
    return e
