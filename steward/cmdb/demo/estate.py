"""The demo estate: service CIs, the data centre and the stores."""

from __future__ import annotations

from typing import Any

from steward.catalogue.models import Service
from steward.cmdb import services
from steward.cmdb.models import CiClass, ConfigurationItem, RedundancyGroup, Relation
from steward.identity.models import Person, Site, Team

BASELINE = "BASELINE"
POS_PER_STORE = 2


class Loader:
    def __init__(self) -> None:
        self.teams = {t.code: t for t in Team.objects.all()}
        self.owner = Person.objects.filter(username="it.director").first()
        self.dc = Site.objects.filter(code="DC-SH").first()
        self.classes = {c.code: c for c in CiClass.objects.all()}
        self.by_name = {ci.name: ci for ci in ConfigurationItem.objects.all()}

    def ci(self, name: str, cls: str, team: str, **fields: Any) -> ConfigurationItem:
        if name in self.by_name:
            return self.by_name[name]
        fields.setdefault("site", self.dc)
        created = services.ci_create(
            actor=None,
            ci_class=self.classes[cls],
            name=name,
            support_team=self.teams.get(team),
            owner=self.owner,
            change_number=BASELINE,
            **fields,
        )
        self.by_name[name] = created
        return created

    def rel(self, source: ConfigurationItem, kind: str, target: ConfigurationItem) -> None:
        if not Relation.objects.filter(source=source, target=target, kind=kind).exists():
            services.relation_add(
                actor=None, source=source, kind=kind, target=target, change_number=BASELINE
            )

    def group(self, code: str, name: str, team: str, members: list[ConfigurationItem]) -> None:
        if not RedundancyGroup.objects.filter(code=code).exists():
            services.group_create(
                actor=None,
                code=code,
                name=name,
                support_team=self.teams.get(team),
                members=members,
                change_number=BASELINE,
            )


def service_cis(load: Loader) -> dict[str, ConfigurationItem]:
    found = {}
    for service in Service.objects.prefetch_related("depends_on").order_by("code"):
        found[service.code] = services.ci_for_service(
            actor=None, service=service, change_number=BASELINE
        )
    for service in Service.objects.prefetch_related("depends_on"):
        for needed in service.depends_on.all():
            load.rel(found[service.code], "depends_on", found[needed.code])
    return found


def data_centre(load: Loader, svc: dict[str, ConfigurationItem]) -> dict[str, Any]:
    c = load.ci
    core = [
        c(
            f"DC-CORE-0{n}",
            "network_device",
            "NET",
            attributes={"mgmt_ip": f"10.0.0.{n}", "model": "Huawei CE12808", "vendor": "华为"},
        )
        for n in (1, 2)
    ]
    load.group("DC-CORE", "数据中心核心交换", "NET", core)
    hub = c(
        "WAN-HUB-01",
        "network_device",
        "NET",
        attributes={"mgmt_ip": "10.0.0.10", "model": "Huawei NE40E"},
    )
    for switch in core:
        load.rel(hub, "connects_to", switch)
    san = [
        c(
            f"SAN-0{n}",
            "storage",
            "INFRA",
            attributes={"capacity_tb": "240", "raid": "raid6", "vendor": "浪潮"},
        )
        for n in (1, 2)
    ]
    load.group("DC-SAN", "存储双活", "INFRA", san)
    hosts = [
        c(
            f"ESX-0{n}",
            "server",
            "INFRA",
            attributes={
                "mgmt_ip": f"10.0.1.{n}",
                "cpu_cores": 64,
                "memory_gb": "1024",
                "vendor": "浪潮",
            },
        )
        for n in range(1, 5)
    ]
    for host in hosts:
        for member in core:
            load.rel(host, "connects_to", member)
        for member in san:
            load.rel(host, "depends_on", member)
    db_servers = [
        c(
            f"HANA-SRV-0{n}",
            "server",
            "INFRA",
            attributes={
                "mgmt_ip": f"10.0.2.{n}",
                "cpu_cores": 224,
                "memory_gb": "6144",
                "vendor": "联想",
            },
        )
        for n in (1, 2)
    ]
    nodes = []
    for n, server in enumerate(db_servers, start=1):
        for member in core:
            load.rel(server, "connects_to", member)
        node = c(
            f"ERP-DB-NODE-{n}",
            "database",
            "INFRA",
            attributes={"engine": "sap_hana", "version": "2.0 SPS07", "host": server.ci_id},
        )
        load.rel(node, "runs_on", server)
        load.rel(node, "used_by", svc["ERP-DB"])
        nodes.append(node)
    load.group("ERP-DB-CLUSTER", "ERP 数据库集群", "INFRA", nodes)
    vms = {}
    for n, (name, host_index) in enumerate(
        [
            ("erp-app-01", 0),
            ("erp-app-02", 1),
            ("pos-app-01", 2),
            ("pos-app-02", 3),
            ("member-01", 0),
            ("mail-01", 1),
            ("wms-01", 2),
            ("bi-01", 3),
            ("hr-01", 0),
        ],
        start=1,
    ):
        vms[name] = c(name, "vm", "INFRA", attributes={"ip": f"10.0.10.{n}", "vcpu": 16})
        load.rel(vms[name], "hosted_in", hosts[host_index])
    load.group("ERP-APP-VMS", "ERP 应用服务器", "INFRA", [vms["erp-app-01"], vms["erp-app-02"]])
    load.group("POS-APP-VMS", "收银中台服务器", "INFRA", [vms["pos-app-01"], vms["pos-app-02"]])
    apps = {}
    for name, vm_names, service, url in [
        ("SAP ERP", ["erp-app-01", "erp-app-02"], "ERP", "https://erp.retail.example.cn"),
        ("收银中台 POS Central", ["pos-app-01", "pos-app-02"], "POS", ""),
        ("会员中台 Member Hub", ["member-01"], "MEMBER", ""),
        ("Exchange 邮件", ["mail-01"], "EMAIL", "https://mail.retail.example.cn"),
        ("WMS 仓储", ["wms-01"], "WMS", ""),
        ("BI 报表", ["bi-01"], "BI", ""),
        ("HR 系统", ["hr-01"], "HRIS", ""),
    ]:
        apps[service] = c(
            name, "application", "APP", attributes={"version": "2026.1", "url": url} if url else {}
        )
        for vm_name in vm_names:
            load.rel(apps[service], "runs_on", vms[vm_name])
        load.rel(apps[service], "used_by", svc[service])
    for node in nodes:
        load.rel(apps["ERP"], "depends_on", node)
    for part in [*core, hub, *san, *hosts]:
        load.rel(part, "used_by", svc["DC"])
    return {"hub": hub, "pos_central": apps["POS"], "member": apps["MEMBER"]}


def store(
    load: Loader, site: Site, n: int, dc: dict[str, Any], svc: dict[str, ConfigurationItem]
) -> None:
    code = site.code
    router = load.ci(
        f"R-{code}",
        "network_device",
        "NET",
        site=site,
        attributes={"mgmt_ip": f"10.{100 + n // 250}.{n % 250}.1", "model": "Huawei AR651"},
    )
    lines = [
        load.ci(
            f"BB-{code}",
            "circuit",
            "NET",
            site=site,
            attributes={"carrier": "telecom", "bandwidth_mbps": 200},
        ),
        load.ci(
            f"LTE-{code}",
            "circuit",
            "NET",
            site=site,
            attributes={"carrier": "mobile", "bandwidth_mbps": 50},
        ),
    ]
    load.group(f"ACCESS-{code}", f"{site.name}接入线路", "NET", lines)
    for line in lines:
        load.rel(line, "connects_to", dc["hub"])
        load.rel(router, "connects_to", line)
    load.rel(router, "used_by", svc["STORE-NET"])
    for till in range(1, POS_PER_STORE + 1):
        pos = load.ci(
            f"POS-{code}-{till:02d}",
            "pos_terminal",
            "APP",
            site=site,
            attributes={"till_number": till, "model": "商米 T2s"},
        )
        load.rel(pos, "connects_to", router)
        load.rel(pos, "depends_on", dc["pos_central"])
        load.rel(pos, "depends_on", dc["member"])
        load.rel(pos, "used_by", svc["POS"])


def unauthorised_examples(load: Loader) -> None:
    """Two edits without a change record, so the review queue has something in it."""
    from steward.cmdb.models import CiChange

    if CiChange.objects.filter(unauthorised=True).exists():
        return
    node = load.by_name["ERP-DB-NODE-2"]
    services.ci_update(actor=None, ci=node, changes={"attributes": {"version": "2.0 SPS08"}})
    host = load.by_name["ESX-03"]
    services.ci_update(actor=None, ci=host, changes={"attributes": {"memory_gb": "1536"}})
