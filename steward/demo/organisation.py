"""The demo organisation: a retail chain with headquarters, 300 stores and an IT department.

Everything is created through the identity services, so the demo also fills the audit trail.
Loading is idempotent: what exists (by code or user name) is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from steward.demo.names import NameMaker
from steward.identity import services
from steward.identity.models import Department, Person, Role, Site, SiteKind, Team

DEMO_PASSWORD = "Steward-demo-2026"  # noqa: S105 - printed to the terminal for the demo

DEPARTMENTS = [
    ("HQ", "总部", "Headquarters", None),
    ("FIN", "财务部", "Finance", "HQ"),
    ("HR", "人力资源部", "Human Resources", "HQ"),
    ("LOG", "物流部", "Logistics", "HQ"),
    ("SALES", "销售部", "Sales", "HQ"),
    ("IT", "信息技术部", "IT", "HQ"),
]
REGIONS = [
    (
        "EAST",
        "华东区",
        "East China",
        ["上海", "杭州", "南京", "苏州", "宁波", "合肥"],
        ["Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Ningbo", "Hefei"],
    ),
    (
        "NORTH",
        "华北区",
        "North China",
        ["北京", "天津", "石家庄", "太原", "济南"],
        ["Beijing", "Tianjin", "Shijiazhuang", "Taiyuan", "Jinan"],
    ),
    (
        "SOUTH",
        "华南区",
        "South China",
        ["广州", "深圳", "东莞", "佛山", "厦门"],
        ["Guangzhou", "Shenzhen", "Dongguan", "Foshan", "Xiamen"],
    ),
    (
        "CENTRAL",
        "华中区",
        "Central China",
        ["武汉", "长沙", "郑州", "南昌"],
        ["Wuhan", "Changsha", "Zhengzhou", "Nanchang"],
    ),
    (
        "WEST",
        "西南区",
        "South-west China",
        ["成都", "重庆", "昆明", "贵阳"],
        ["Chengdu", "Chongqing", "Kunming", "Guiyang"],
    ),
]
OFFICES = [
    (
        "HQ-SH",
        "上海总部",
        "Shanghai HQ",
        SiteKind.OFFICE,
        "EAST",
        "上海市徐汇区漕溪北路 88 号",
        "HQ",
    ),
    (
        "DC-SH",
        "上海数据中心",
        "Shanghai Data Centre",
        SiteKind.DATA_CENTRE,
        "EAST",
        "上海市浦东新区张江路 1000 号",
        "IT",
    ),
    (
        "WH-WH",
        "武汉中央仓",
        "Wuhan Warehouse",
        SiteKind.WAREHOUSE,
        "CENTRAL",
        "武汉市东西湖区走马岭 6 号",
        "LOG",
    ),
]
STORE_COUNT = 300
STORE_SUFFIXES = [
    ("万达店", "Wanda"),
    ("中心店", "Centre"),
    ("步行街店", "Pedestrian St."),
    ("新城店", "New Town"),
    ("东站店", "East Station"),
    ("滨江店", "Riverside"),
]
TEAMS = [
    ("DESK", "服务台", "Service Desk", 6),
    ("NET", "网络组", "Network", 4),
    ("APP", "应用与ERP组", "Applications & ERP", 4),
    ("INFRA", "基础设施组", "Infrastructure", 3),
    ("SEC", "信息安全组", "Security", 3),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    description: str


@dataclass
class DemoResult:
    created: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)
    history: dict[str, int] = field(default_factory=dict)


def _department(
    code: str, name: str, name_en: str, parent: str | None, result: DemoResult
) -> Department:
    existing = Department.objects.filter(code=code).first()
    if existing:
        return existing
    result.created += 1
    return services.department_create(
        actor=None,
        code=code,
        name=name,
        name_en=name_en,
        parent=Department.objects.get(code=parent) if parent else None,
    )


def _person(
    username: str,
    name: str,
    name_en: str,
    result: DemoResult,
    *,
    roles: Sequence[str],
    password: str | None = None,
    **fields: object,
) -> Person:
    existing = Person.objects.filter(username=username).first()
    if existing:
        return existing
    result.created += 1
    return services.person_create(
        actor=None,
        username=username,
        name=name,
        name_en=name_en,
        email=f"{username}@retail.example.cn",
        password=password,
        roles=roles,
        **fields,
    )


def load_departments_and_sites(result: DemoResult) -> dict[str, Department]:
    departments = {
        code: _department(code, zh, en, parent, result) for code, zh, en, parent in DEPARTMENTS
    }
    for code, zh, en, _cities, _cities_en in REGIONS:
        departments[code] = _department(
            f"SALES-{code}", f"销售部{zh}", f"Sales {en}", "SALES", result
        )
    for code, zh, en, kind, region, address, department in OFFICES:
        if not Site.objects.filter(code=code).exists():
            services.site_create(
                actor=None,
                code=code,
                name=zh,
                name_en=en,
                kind=kind,
                region=region,
                address=address,
                department=departments[department],
            )
            result.created += 1
    existing = set(Site.objects.filter(kind=SiteKind.STORE).values_list("code", flat=True))
    for n in range(1, STORE_COUNT + 1):
        code = f"S{n:04d}"
        if code in existing:
            continue
        region_code, _zh, _en, cities, cities_en = REGIONS[n % len(REGIONS)]
        city_index = (n // len(REGIONS)) % len(cities)
        suffix, suffix_en = STORE_SUFFIXES[(n // 7) % len(STORE_SUFFIXES)]
        services.site_create(
            actor=None,
            code=code,
            name=f"{cities[city_index]}{suffix}{n:03d}",
            name_en=f"{cities_en[city_index]} {suffix_en} #{n:03d}",
            kind=SiteKind.STORE,
            region=region_code,
            address=f"{cities[city_index]}市人民路 {n} 号",
            department=departments[region_code],
        )
        result.created += 1
    return departments


def load_people(departments: dict[str, Department], result: DemoResult) -> None:
    names = NameMaker()
    hq = Site.objects.get(code="HQ-SH")
    it_head = _person(
        "it.director",
        "陈志远",
        "Zhiyuan Chen",
        result,
        password=DEMO_PASSWORD,
        roles=[Role.ADMINISTRATOR, Role.SERVICE_OWNER, Role.CHANGE_MANAGER, Role.TEAM_LEAD],
        department=departments["IT"],
        site=hq,
        language="zh-hans",
    )
    result.accounts.append(
        DemoAccount("it.director", "administrator", "IT director: administrator, service owner")
    )
    for code, zh, en, size in TEAMS:
        members = []
        for index in range(size):
            name, name_en, login = names.next()
            demo_login = {
                ("DESK", 0): "desk.lead",
                ("DESK", 1): "desk.agent",
                ("NET", 0): "net.lead",
            }.get((code, index))
            roles = [Role.AGENT] + ([Role.TEAM_LEAD] if index == 0 else [])
            if code == "INFRA" and index == 0:
                roles += [Role.CAB_MEMBER]
            members.append(
                _person(
                    demo_login or login,
                    name,
                    name_en,
                    result,
                    roles=roles,
                    password=DEMO_PASSWORD if demo_login else None,
                    department=departments["IT"],
                    site=hq,
                    manager=it_head,
                    language="en" if demo_login == "desk.agent" else "zh-hans",
                )
            )
        team = Team.objects.filter(code=code).first()
        if team is None:
            team = services.team_create(
                actor=None,
                code=code,
                name=zh,
                name_en=en,
                email=f"it-{code.lower()}@retail.example.cn",
                lead=members[0],
            )
            services.team_set_members(actor=None, team=team, members=members)
            result.created += 1
    result.accounts += [
        DemoAccount("desk.lead", "team lead", "service desk team lead"),
        DemoAccount("desk.agent", "agent", "service desk agent (English UI)"),
        DemoAccount("net.lead", "team lead", "network team lead"),
    ]
    auditor = _person(
        "auditor",
        "审计员周敏",
        "Min Zhou (auditor)",
        result,
        password=DEMO_PASSWORD,
        roles=[Role.AUDITOR],
        department=departments["FIN"],
        site=hq,
    )
    _person(
        "finance",
        "财务刘芳",
        "Fang Liu",
        result,
        password=DEMO_PASSWORD,
        roles=[Role.FINANCE, Role.REQUESTER],
        department=departments["FIN"],
        site=hq,
        manager=auditor,
    )
    result.accounts += [
        DemoAccount("auditor", "auditor", "read-only access to everything"),
        DemoAccount("finance", "finance", "finance controller"),
    ]
    for code in ("FIN", "HR", "LOG"):
        for _ in range(5):
            name, name_en, login = names.next()
            _person(
                login,
                name,
                name_en,
                result,
                roles=[Role.REQUESTER],
                department=departments[code],
                site=hq,
            )
    _load_store_staff(departments, names, result)
    _load_heads(departments, it_head)


def _load_heads(departments: dict[str, Department], admin: Person) -> None:
    """Department heads (they approve requests needing the manager's or head's approval): the
    IT director, the finance controller, the first person of HR and logistics, and per sales
    region the store manager of S0001 where it lies (else the region's first store manager)."""
    region = "SALES-" + _region_of("S0001")
    chosen = {"IT": "it.director", "FIN": "finance", region: "store.manager"}
    for department in departments.values():
        if department.head_id is not None or department.code in ("HQ", "SALES"):
            continue
        people = Person.objects.filter(department=department, is_active=True)
        head = people.filter(username=chosen.get(department.code, "")).first()
        head = head or people.order_by("username").first()
        if head is not None:
            services.department_update(actor=admin, department=department,
                                       changes={"head": head})  # fmt: skip


def _region_of(store: str) -> str:
    site = Site.objects.filter(code=store).select_related("department").first()
    return site.department.code.removeprefix("SALES-") if site and site.department else ""


def _load_store_staff(
    departments: dict[str, Department], names: NameMaker, result: DemoResult
) -> None:
    stores = Site.objects.filter(kind=SiteKind.STORE).select_related("department").order_by("code")
    staffed = set(
        Person.objects.filter(site__kind=SiteKind.STORE).values_list("site_id", flat=True)
    )
    for store in stores:
        if store.pk in staffed:
            continue
        name, name_en, login = names.next()
        username = "store.manager" if store.code == "S0001" else f"{store.code.lower()}.{login}"
        _person(
            username,
            name,
            name_en,
            result,
            roles=[Role.REQUESTER],
            password=DEMO_PASSWORD if store.code == "S0001" else None,
            department=store.department,
            site=store,
            phone=f"139{store.pk:08d}",
            notification_channels=["email", "sms"],
        )
    region_lead = Person.objects.filter(username="store.manager").first()
    if region_lead is not None and region_lead.department is not None:
        region_lead.department.delegates.add(region_lead)
    result.accounts.append(
        DemoAccount(
            "store.manager",
            "requester",
            "store manager of S0001 (mobile portal); delegate of the region",
        )
    )


def load(
    *, history_days: int = 730, history_scale: float = 1.0, cmdb: bool = True
) -> DemoResult:
    """Load (or complete) the demo organisation and its service desk history (``tickets``:
    ``history_scale`` 0 for none) and return what was created. ``cmdb``: False leaves out
    the demo CMDB (for tests that do not look at it)."""
    result = DemoResult()
    from steward.cmdb import demo as cmdb_demo
    from steward.demo import catalogue, tickets
    from steward.demo import routing as routing_demo

    departments = load_departments_and_sites(result)
    load_people(departments, result)
    catalogue.load()
    if cmdb:
        cmdb_demo.load()
    routing_demo.load()
    result.history = tickets.load_history(days=history_days, scale=history_scale)
    result.created += sum(result.history.values())
    return result
