"""Demo catalogue and service levels of the retail chain: 15 services, calendars, SLAs,
OLAs and an underpinning contract, request items with forms, approvals and tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steward.catalogue import services as catalogue
from steward.catalogue.models import RequestItem, Service, ServiceCategory
from steward.identity import services as identity
from steward.identity.models import Person, Site, SiteGroup, SiteKind, Team
from steward.sla import services as sla
from steward.sla.models import Agreement, BusinessCalendar, CalendarKind
from steward.sla.timemath.china import official_years

OFFICE = {d: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] for d in range(5)}
STORE_HOURS = {d: [[9 * 60, 22 * 60]] for d in range(7)}
CATEGORIES = [
    ("STORE", "门店系统", "Store systems", 10),
    ("OFFICE", "办公与协作", "Office and collaboration", 20),
    ("BUSINESS", "业务应用", "Business applications", 30),
    ("ACCESS", "网络与账号", "Network and accounts", 40),
    ("INFRA", "基础设施", "Infrastructure", 90),
]
# code, zh, en, category, team, criticality, kind, visibility, customers, description zh / en
SERVICES: list[tuple[Any, ...]] = [
    (
        "POS",
        "门店收银",
        "Store checkout",
        "STORE",
        "APP",
        1,
        "business",
        "portal",
        "STORES",
        "门店收银机、扫码枪、小票打印机和收银软件。",
        "Checkout terminals, scanners, receipt printers and POS software.",
    ),
    (
        "STORE-NET",
        "门店网络",
        "Store network",
        "STORE",
        "NET",
        1,
        "business",
        "portal",
        "STORES",
        "门店宽带、4G 备份线路、路由器和无线网络。",
        "Store broadband, 4G backup line, router and Wi-Fi.",
    ),
    (
        "MEMBER",
        "会员系统",
        "Loyalty and membership",
        "STORE",
        "APP",
        2,
        "business",
        "portal",
        "",
        "会员积分、优惠券和小程序。",
        "Points, coupons and the mini-program.",
    ),
    (
        "ERP",
        "ERP 系统",
        "ERP (SAP)",
        "BUSINESS",
        "APP",
        1,
        "business",
        "portal",
        "HQ",
        "财务、采购、库存和门店补货。",
        "Finance, purchasing, inventory and store replenishment.",
    ),
    (
        "WMS",
        "仓储管理",
        "Warehouse management",
        "BUSINESS",
        "APP",
        2,
        "business",
        "portal",
        "LOG",
        "中央仓收发货与拣货。",
        "Receiving, picking and shipping at the central warehouse.",
    ),
    (
        "BI",
        "经营报表",
        "Business reporting",
        "BUSINESS",
        "APP",
        3,
        "business",
        "portal",
        "",
        "日报、周报和门店业绩看板。",
        "Daily and weekly reports, store performance dashboards.",
    ),
    (
        "HRIS",
        "人力资源系统",
        "HR system",
        "BUSINESS",
        "APP",
        3,
        "business",
        "portal",
        "HR",
        "考勤、排班和薪资。",
        "Attendance, rosters and payroll.",
    ),
    (
        "EMAIL",
        "企业邮箱",
        "E-mail",
        "OFFICE",
        "INFRA",
        2,
        "business",
        "portal",
        "",
        "邮箱、邮件组和日历。",
        "Mailboxes, distribution lists and calendars.",
    ),
    (
        "WECOM",
        "企业微信",
        "WeCom",
        "OFFICE",
        "INFRA",
        2,
        "business",
        "portal",
        "",
        "企业微信账号、群和审批。",
        "WeCom accounts, groups and approvals.",
    ),
    (
        "PC",
        "办公电脑",
        "Desktops and laptops",
        "OFFICE",
        "DESK",
        3,
        "business",
        "portal",
        "",
        "电脑、显示器、外设和软件安装。",
        "Computers, monitors, peripherals and software installation.",
    ),
    (
        "PRINT",
        "打印服务",
        "Printing",
        "OFFICE",
        "DESK",
        4,
        "business",
        "portal",
        "",
        "打印机、复印机和耗材。",
        "Printers, copiers and consumables.",
    ),
    (
        "VPN",
        "远程接入",
        "Remote access (VPN)",
        "ACCESS",
        "NET",
        3,
        "business",
        "portal",
        "",
        "在家或出差时访问公司系统。",
        "Reach company systems from home or on the road.",
    ),
    (
        "ACCOUNT",
        "账号与权限",
        "Accounts and access rights",
        "ACCESS",
        "SEC",
        3,
        "business",
        "portal",
        "",
        "域账号、系统权限和密码重置。",
        "Domain accounts, system rights and password resets.",
    ),
    (
        "DC",
        "数据中心基础设施",
        "Data centre infrastructure",
        "INFRA",
        "INFRA",
        1,
        "technical",
        "internal",
        "",
        "服务器、存储、虚拟化和机房。",
        "Servers, storage, virtualisation and the machine room.",
    ),
    (
        "ERP-DB",
        "ERP 数据库",
        "ERP database",
        "INFRA",
        "INFRA",
        1,
        "technical",
        "internal",
        "",
        "ERP 的数据库集群与备份。",
        "The ERP database cluster and its backups.",
    ),
]
DEPENDENCIES = {
    "POS": ["STORE-NET", "MEMBER"],
    "ERP": ["ERP-DB"],
    "ERP-DB": ["DC"],
    "WMS": ["ERP"],
    "BI": ["ERP"],
    "MEMBER": ["DC"],
    "EMAIL": ["DC"],
    "HRIS": ["DC"],
}
# minutes per priority: first response, resolution
STANDARD = (
    {"1": 15, "2": 30, "3": 60, "4": 240, "5": 480},
    {"1": 240, "2": 480, "3": 960, "4": 2400, "5": 4800},
)
STORE_CRITICAL = (
    {"1": 10, "2": 20, "3": 60, "4": 180, "5": 480},
    {"1": 120, "2": 240, "3": 600, "4": 1560, "5": 3120},
)
# minutes per priority (business time) to fulfil a service request once approved
FULFILMENT = {"1": 480, "2": 960, "3": 1440, "4": 2400, "5": 4800}
SERVICE_DESK_STATES = {
    "first_response": {
        "start_states": ["new"],
        "stop_states": ["responded", "in_progress", "on_hold", "resolved"],
        "cancel_states": ["cancelled"],
    },
    "resolution": {
        "start_states": ["new"],
        "pause_states": ["on_hold"],
        "stop_states": ["resolved"],
        "cancel_states": ["cancelled"],
    },
    # Service requests: the clock waits while approvals are pending.
    "fulfilment": {
        "start_states": ["submitted"],
        "pause_states": ["awaiting_approval"],
        "stop_states": ["fulfilled"],
        "cancel_states": ["cancelled", "rejected"],
    },
}


def _calendar(
    code: str, name: str, name_en: str, kind: str, weekly: dict[int, list[list[int]]] | None
) -> BusinessCalendar:
    existing = BusinessCalendar.objects.filter(code=code).first()
    if existing:
        return existing
    calendar = sla.calendar_create(
        actor=None, code=code, name=name, name_en=name_en, kind=kind, weekly=weekly
    )
    if kind == CalendarKind.CHINA:
        for year in sorted(y for y in official_years() if y >= 2024):
            sla.calendar_load_china_year(actor=None, calendar=calendar, year=year)
    calendar.refresh_from_db()
    return calendar


def load_calendars() -> dict[str, BusinessCalendar]:
    calendars = {
        "office": _calendar(
            "CN-OFFICE", "中国大陆办公时间", "China office hours", CalendarKind.CHINA, OFFICE
        ),
        "store": _calendar(
            "STORE-HOURS", "门店营业时间", "Store opening hours", CalendarKind.WEEKLY, STORE_HOURS
        ),
        "always": _calendar("24X7", "全天候", "24 × 7", CalendarKind.ALWAYS, None),
    }
    if not calendars["store"].exceptions.exists():
        # Stores close on Spring Festival eve afternoon and the first day of the new year.
        sla.calendar_set_exception(
            actor=None,
            calendar=calendars["store"],
            date=dt.date(2026, 2, 16),
            kind="custom",
            windows=[[9 * 60, 15 * 60]],
            name="除夕提前闭店",
        )
        sla.calendar_set_exception(
            actor=None,
            calendar=calendars["store"],
            date=dt.date(2026, 2, 17),
            kind="holiday",
            name="春节初一闭店",
        )
    return calendars


def load_site_groups() -> dict[str, SiteGroup]:
    groups = {}
    stores = Site.objects.filter(kind=SiteKind.STORE)
    wanted = [("STORES", "全部门店", "All stores", stores)] + [
        (f"STORES-{region}", f"{zh}门店", f"Stores {en}", stores.filter(region=region))
        for region, zh, en in [
            ("EAST", "华东", "East"),
            ("NORTH", "华北", "North"),
            ("SOUTH", "华南", "South"),
            ("CENTRAL", "华中", "Central"),
            ("WEST", "西南", "South-west"),
        ]
    ]
    for code, zh, en, sites in wanted:
        groups[code] = SiteGroup.objects.filter(code=code).first() or identity.site_group_create(
            actor=None, code=code, name=zh, name_en=en, sites=sites
        )
    return groups


def load_services(groups: dict[str, SiteGroup]) -> dict[str, Service]:
    from steward.identity.models import Department

    owner = Person.objects.get(username="it.director")
    teams = {t.code: t for t in Team.objects.all()}
    categories = {}
    for code, zh, en, position in CATEGORIES:
        categories[code] = ServiceCategory.objects.filter(
            code=code
        ).first() or catalogue.category_create(
            actor=None, code=code, name=zh, name_en=en, position=position
        )
    services = {}
    for (
        code,
        zh,
        en,
        category,
        team,
        criticality,
        kind,
        visibility,
        customers,
        desc,
        desc_en,
    ) in SERVICES:
        service = Service.objects.filter(code=code).first()
        if service is None:
            service = catalogue.service_create(
                actor=None,
                code=code,
                name=zh,
                name_en=en,
                description=desc,
                description_en=desc_en,
                category=categories[category],
                owner=owner,
                support_team=teams[team],
                criticality=criticality,
                kind=kind,
                visibility=visibility,
                lifecycle="live",
                keywords=f"{code.lower()} {en.lower()}",
            )
            if customers == "STORES":
                catalogue.service_set_customers(
                    actor=None, service=service, site_groups=[groups["STORES"]]
                )
            elif customers:
                catalogue.service_set_customers(
                    actor=None,
                    service=service,
                    departments=[Department.objects.get(code=customers)],
                )
        services[code] = service
    for code, targets in DEPENDENCIES.items():
        if not services[code].depends_on.exists():
            catalogue.service_set_dependencies(
                actor=None, service=services[code], depends_on=[services[t] for t in targets]
            )
    return services


def _agreement(
    code: str,
    name: str,
    name_en: str,
    service: Service,
    calendar: BusinessCalendar,
    targets: tuple[dict[str, int], dict[str, int]],
    **fields: Any,
) -> Agreement:
    existing = Agreement.objects.filter(code=code).first()
    if existing:
        return existing
    agreement = sla.agreement_create(
        actor=None,
        code=code,
        name=name,
        name_en=name_en,
        service=service,
        valid_from=dt.date(2024, 1, 1),
        **fields,
    )
    for kind, minutes in zip(("first_response", "resolution"), targets, strict=True):
        sla.metric_set(
            actor=None,
            agreement=agreement,
            kind=kind,
            calendar=calendar,
            targets=minutes,
            **SERVICE_DESK_STATES[kind],
        )
    if fields.get("kind", "sla") == "sla":
        sla.metric_set(
            actor=None,
            agreement=agreement,
            kind="fulfilment",
            calendar=calendar,
            targets=FULFILMENT,
            **SERVICE_DESK_STATES["fulfilment"],
        )
    return sla.agreement_activate(actor=None, agreement=agreement)


def load_service_hours(
    services: dict[str, Service], calendars: dict[str, BusinessCalendar]
) -> None:
    """Store systems are offered in store hours, the data centre around the clock, the rest in
    office hours."""
    for code, service in services.items():
        key = {
            "POS": "store",
            "STORE-NET": "store",
            "MEMBER": "store",
            "DC": "always",
            "ERP-DB": "always",
        }.get(code, "office")
        sla.service_hours_set(actor=None, service=service, calendar=calendars[key])


def load_agreements(
    services: dict[str, Service],
    calendars: dict[str, BusinessCalendar],
    groups: dict[str, SiteGroup],
) -> None:
    for code, service in services.items():
        if service.kind == "technical":
            continue
        _agreement(
            f"SLA-{code}",
            f"{service.name}服务级别协议",
            f"{service.name_en} SLA",
            service,
            calendars["office"],
            STANDARD,
            compliance_target="95.00",
        )
    for code in ("POS", "STORE-NET"):
        _agreement(
            f"SLA-{code}-STORES",
            f"{services[code].name}门店协议",
            f"{services[code].name_en} for stores",
            services[code],
            calendars["store"],
            STORE_CRITICAL,
            customer_site_group=groups["STORES"],
            compliance_target="97.00",
            monthly_limit=900,
        )
    _agreement(
        "OLA-NET-STORE",
        "网络组门店网络运营协议",
        "Network team OLA for store network",
        services["STORE-NET"],
        calendars["store"],
        STORE_CRITICAL,
        kind="ola",
        team=Team.objects.get(code="NET"),
    )
    _agreement(
        "UC-TELECOM",
        "中国电信门店专线合同",
        "China Telecom store line contract",
        services["STORE-NET"],
        calendars["always"],
        ({"1": 30, "2": 60, "3": 120}, {"1": 240, "2": 480, "3": 1440}),
        kind="uc",
        supplier="中国电信 China Telecom",
    )
    _agreement(
        "SLA-DC",
        "数据中心基础设施协议",
        "Data centre infrastructure SLA",
        services["DC"],
        calendars["always"],
        ({"1": 15, "2": 30, "3": 120}, {"1": 120, "2": 360, "3": 1440}),
        compliance_target="99.00",
    )


ITEMS: list[dict[str, Any]] = [
    {
        "code": "LAPTOP",
        "service": "PC",
        "name": "申请笔记本电脑",
        "name_en": "Request a laptop",
        "approval_kind": "manager",
        "promised_minutes": 3 * 8 * 60,
        "form": [
            {
                "key": "model",
                "type": "choice",
                "label": "型号",
                "label_en": "Model",
                "required": True,
                "choices": [
                    {"value": "t14", "label": "ThinkPad T14", "label_en": "ThinkPad T14"},
                    {
                        "value": "x1",
                        "label": "ThinkPad X1 Carbon",
                        "label_en": "ThinkPad X1 Carbon",
                    },
                ],
            },
            {
                "key": "reason",
                "type": "long_text",
                "label": "用途",
                "label_en": "Reason",
                "required": True,
            },
            {"key": "needed_by", "type": "date", "label": "需要日期", "label_en": "Needed by"},
        ],
        "tasks": [
            {"title": "准备并安装电脑", "title_en": "Prepare and image the laptop", "team": "DESK"},
            {
                "title": "交付并登记资产",
                "title_en": "Hand over and register the asset",
                "team": "DESK",
            },
        ],
        "instructions": "使用标准镜像；交付时请使用人签收。",
    },
    {
        "code": "VPN-ACCESS",
        "service": "VPN",
        "name": "开通远程接入",
        "name_en": "VPN access",
        "approval_kind": "manager",
        "promised_minutes": 8 * 60,
        "form": [
            {
                "key": "until",
                "type": "date",
                "label": "有效期至",
                "label_en": "Valid until",
                "required": True,
            }
        ],
        "tasks": [{"title": "开通 VPN 账号", "title_en": "Create the VPN account", "team": "NET"}],
    },
    {
        "code": "NEW-STARTER",
        "service": "ACCOUNT",
        "name": "新员工账号",
        "name_en": "New starter accounts",
        "approval_kind": "group",
        "approval_team": "SEC",
        "task_mode": "parallel",
        "promised_minutes": 2 * 8 * 60,
        "form": [
            {
                "key": "employee",
                "type": "text",
                "label": "员工姓名",
                "label_en": "Employee name",
                "required": True,
            },
            {
                "key": "employee_id",
                "type": "text",
                "label": "工号",
                "label_en": "Employee number",
                "required": True,
                "pattern": "E[0-9]{6}",
            },
            {
                "key": "systems",
                "type": "multi_choice",
                "label": "需要的系统",
                "label_en": "Systems",
                "choices": [
                    {"value": "erp", "label": "ERP"},
                    {"value": "wecom", "label": "企业微信"},
                    {"value": "email", "label": "邮箱"},
                ],
            },
        ],
        "tasks": [
            {
                "title": "创建域账号和邮箱",
                "title_en": "Create domain account and mailbox",
                "team": "INFRA",
            },
            {"title": "分配系统权限", "title_en": "Grant system rights", "team": "SEC"},
        ],
    },
    {
        "code": "POS-TERMINAL",
        "service": "POS",
        "name": "新增收银机",
        "name_en": "Additional checkout terminal",
        "approval_kind": "service_owner",
        "promised_minutes": 5 * 8 * 60,
        "form": [
            {
                "key": "quantity",
                "type": "number",
                "label": "数量",
                "label_en": "Quantity",
                "required": True,
                "min": 1,
                "max": 4,
            },
            {
                "key": "reason",
                "type": "long_text",
                "label": "原因",
                "label_en": "Reason",
                "required": True,
            },
        ],
        "tasks": [
            {"title": "配置收银机", "title_en": "Configure the terminal", "team": "APP"},
            {"title": "门店网络接入", "title_en": "Connect to the store network", "team": "NET"},
        ],
    },
    {
        "code": "TONER",
        "service": "PRINT",
        "name": "更换硒鼓",
        "name_en": "Replace toner",
        "promised_minutes": 4 * 60,
        "form": [
            {
                "key": "printer",
                "type": "text",
                "label": "打印机位置",
                "label_en": "Printer location",
                "required": True,
            }
        ],
        "tasks": [{"title": "更换硒鼓", "title_en": "Replace the toner", "team": "DESK"}],
    },
    {
        "code": "ERP-ROLE",
        "service": "ERP",
        "name": "ERP 权限申请",
        "name_en": "ERP access rights",
        "approval_kind": "service_owner",
        "promised_minutes": 2 * 8 * 60,
        "form": [
            {
                "key": "role",
                "type": "choice",
                "label": "角色",
                "label_en": "Role",
                "required": True,
                "choices": [
                    {"value": "ap", "label": "应付会计", "label_en": "Accounts payable"},
                    {"value": "buyer", "label": "采购员", "label_en": "Buyer"},
                    {"value": "store", "label": "门店补货", "label_en": "Store replenishment"},
                ],
            }
        ],
        "tasks": [{"title": "分配 ERP 角色", "title_en": "Assign the ERP role", "team": "APP"}],
    },
]


def load_request_items(services: dict[str, Service]) -> None:
    for spec in ITEMS:
        if RequestItem.objects.filter(code=spec["code"]).exists():
            continue
        data = dict(spec)
        service = services[data.pop("service")]
        if "approval_team" in data:
            data["approval_team"] = Team.objects.get(code=data["approval_team"])
        catalogue.request_item_create(actor=None, service=service, **data)


def load() -> None:
    calendars = load_calendars()
    groups = load_site_groups()
    services = load_services(groups)
    load_service_hours(services, calendars)
    load_agreements(services, calendars, groups)
    load_request_items(services)
