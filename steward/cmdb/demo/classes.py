"""The demo CI classes: hardware, software, cloud and services, with their attributes."""

from __future__ import annotations

from typing import Any

from steward.cmdb import services
from steward.cmdb.models import CiClass


def _attr(key: str, kind: str, zh: str, en: str, **options: Any) -> dict[str, Any]:
    return {"key": key, "type": kind, "label": zh, "label_en": en, **options}


def _choices(*values: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"value": v, "label": zh, "label_en": en} for v, zh, en in values]


CARRIERS = _choices(
    ("telecom", "中国电信", "China Telecom"),
    ("unicom", "中国联通", "China Unicom"),
    ("mobile", "中国移动", "China Mobile"),
)
# code, zh, en, parent, under change control, own attributes
CLASSES: list[tuple[str, str, str, str | None, bool, list[dict[str, Any]]]] = [
    (
        "hardware",
        "硬件",
        "Hardware",
        None,
        False,
        [
            _attr("serial_number", "string", "序列号", "Serial number", max_length=64),
            _attr("vendor", "string", "厂商", "Vendor"),
            _attr("purchase_date", "date", "采购日期", "Purchase date"),
        ],
    ),
    (
        "server",
        "服务器",
        "Server",
        "hardware",
        True,
        [
            _attr("mgmt_ip", "ip_address", "管理地址", "Management IP", required=True),
            _attr("cpu_cores", "integer", "CPU 核数", "CPU cores", min=1, max=1024),
            _attr("memory_gb", "decimal", "内存 (GB)", "Memory (GB)", min=0),
        ],
    ),
    (
        "storage",
        "存储",
        "Storage",
        "hardware",
        True,
        [
            _attr("capacity_tb", "decimal", "容量 (TB)", "Capacity (TB)", min=0),
            _attr(
                "raid",
                "choice",
                "RAID 级别",
                "RAID level",
                choices=_choices(
                    ("raid5", "RAID 5", "RAID 5"),
                    ("raid6", "RAID 6", "RAID 6"),
                    ("raid10", "RAID 10", "RAID 10"),
                ),
            ),
        ],
    ),
    (
        "network_device",
        "网络设备",
        "Network device",
        "hardware",
        True,
        [
            _attr("mgmt_ip", "ip_address", "管理地址", "Management IP"),
            _attr("model", "string", "型号", "Model"),
        ],
    ),
    (
        "circuit",
        "通信线路",
        "Telecom circuit",
        "hardware",
        False,
        [
            _attr("carrier", "choice", "运营商", "Carrier", choices=CARRIERS, required=True),
            _attr("bandwidth_mbps", "integer", "带宽 (Mbps)", "Bandwidth (Mbps)", min=1),
            _attr("circuit_id", "string", "线路编号", "Circuit id"),
        ],
    ),
    (
        "pos_terminal",
        "门店收银终端",
        "Store POS terminal",
        "hardware",
        False,
        [
            _attr("till_number", "integer", "收银台号", "Till number", min=1, max=99),
            _attr("model", "string", "型号", "Model"),
        ],
    ),
    (
        "software",
        "软件",
        "Software",
        None,
        False,
        [
            _attr("version", "string", "版本", "Version", max_length=40),
        ],
    ),
    (
        "application",
        "应用",
        "Application",
        "software",
        True,
        [
            _attr("url", "string", "访问地址", "URL", max_length=200),
            _attr("business_owner", "person", "业务负责人", "Business owner"),
        ],
    ),
    (
        "database",
        "数据库",
        "Database",
        "software",
        True,
        [
            _attr(
                "engine",
                "choice",
                "数据库类型",
                "Engine",
                required=True,
                choices=_choices(
                    ("sap_hana", "SAP HANA", "SAP HANA"),
                    ("oracle", "Oracle", "Oracle"),
                    ("postgresql", "PostgreSQL", "PostgreSQL"),
                    ("mysql", "MySQL", "MySQL"),
                ),
            ),
            _attr("host", "reference", "所在服务器", "Host server", **{"class": "server"}),
        ],
    ),
    ("cloud", "云资源", "Cloud", None, False, []),
    (
        "vm",
        "虚拟机",
        "Virtual machine",
        "cloud",
        True,
        [
            _attr("ip", "ip_address", "IP 地址", "IP address"),
            _attr("vcpu", "integer", "vCPU", "vCPU", min=1, max=256),
        ],
    ),
    (
        "load_balancer",
        "负载均衡",
        "Load balancer",
        "cloud",
        True,
        [
            _attr("vip", "ip_address", "虚拟地址", "Virtual IP"),
        ],
    ),
    ("service", "服务", "Service", None, False, []),
]


def load_classes() -> dict[str, CiClass]:
    classes = {c.code: c for c in CiClass.objects.all()}
    for code, zh, en, parent, controlled, attributes in CLASSES:
        if code not in classes:
            classes[code] = services.class_create(
                actor=None,
                code=code,
                name=zh,
                name_en=en,
                parent=classes[parent] if parent else None,
                under_change_control=controlled,
                attributes=attributes,
            )
    return classes
