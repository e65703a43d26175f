"""Bulk import: mapping, identification rule, dry run, idempotent upsert, rejections with
row/column/reason, progress counts, audit and history; export and re-import."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from steward.cmdb import services
from steward.cmdb.export import ci_export
from steward.cmdb.models import CiChange, ConfigurationItem, ImportJob, ImportRow
from steward.cmdb.tests.conftest import audit_entries
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db

MAPPING = {
    "Hostname": "name",
    "Type": "ci_class",
    "Serial": "attributes.serial_number",
    "IP": "attributes.mgmt_ip",
    "Cores": "attributes.cpu_cores",
    "Team": "support_team",
}
CSV = (
    "Hostname;Type;Serial;IP;Cores;Team\n"
    "esx-01;server;SN-1;10.0.0.1;16;INFRA\n"
    "esx-02;server;SN-2;10.0.0.2;abc;INFRA\n"
    ";;;;;\n"
    "esx-03;server;;10.0.0.3;8;INFRA\n"
    "esx-04;router;SN-4;10.0.0.4;8;INFRA\n"
    "esx-01b;server;SN-1;10.0.0.9;16;INFRA\n"
)


def run(actor, content=CSV, *, dry_run, name="hosts.csv", **kwargs):
    kwargs.setdefault("mapping", MAPPING)
    kwargs.setdefault("match_on", ["attributes.serial_number"])
    job = services.import_create(
        actor=actor,
        file_name=name,
        content=content.encode() if isinstance(content, str) else content,
        dry_run=dry_run,
        **kwargs,
    )
    services.import_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def outcomes(job):
    return list(
        ImportRow.objects.filter(job=job)
        .order_by("row")
        .values_list("row", "outcome", "column", "reason", "fields")
    )


def test_a_dry_run_reports_what_would_happen_and_writes_no_ci(classes, team, engineer):
    job = run(engineer, dry_run=True)
    assert (job.status, job.total, job.processed) == ("done", 5, 5)
    counts = (job.created_count, job.updated_count, job.unchanged_count, job.rejected_count)
    assert counts == (1, 1, 0, 3)
    assert outcomes(job) == [
        (2, "created", "", "", []),
        (3, "rejected", "Cores", "Enter a whole number.", []),
        (
            5,
            "rejected",
            "Serial",
            "The identification value attributes.serial_number is missing.",
            [],
        ),
        (6, "rejected", "Type", "No such ci_class: router.", []),
        (7, "updated", "", "", ["attributes.mgmt_ip", "name"]),
    ]
    assert ConfigurationItem.objects.count() == 0
    assert CiChange.objects.count() == 0


def test_a_real_run_upserts_through_the_services_and_is_idempotent(classes, team, engineer):
    first = run(engineer, dry_run=False)
    assert (first.created_count, first.updated_count, first.rejected_count) == (1, 1, 3)
    ci = ConfigurationItem.objects.get()
    assert (ci.name, ci.attributes, ci.support_team, ci.version) == (
        "esx-01b",
        {"serial_number": "SN-1", "mgmt_ip": "10.0.0.9", "cpu_cores": 16},
        team,
        2,
    )
    assert list(audit_entries(ci).values_list("action", flat=True)) == ["create", "update"]
    assert CiChange.objects.filter(ci=ci, action="update").count() == 2
    assert audit_entries(first, "create").count() == 1

    again = run(engineer, dry_run=False)

    counts = (again.created_count, again.updated_count, again.unchanged_count)
    assert counts == (0, 2, 0)  # the file names SN-1 twice: its rows apply in order
    assert ConfigurationItem.objects.count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(classes, team, engineer):
    content = "Hostname;Type;Serial;IP;Cores;Team\nesx-01;server;SN-1;10.0.0.1;16;INFRA\n"
    run(engineer, content, dry_run=False)
    changes = CiChange.objects.count()

    again = run(engineer, content, dry_run=False)

    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    assert CiChange.objects.count() == changes
    assert ImportRow.objects.filter(job=again).count() == 0


def test_hostname_and_site_identify_a_ci(classes, team, engineer):
    a, b = factories.site(code="SH01"), factories.site(code="BJ01")
    content = "host,site,serial,team\nweb-1,SH01,X1,INFRA\nweb-1,BJ01,X2,INFRA\nWEB-1,sh01,X3,\n"
    job = run(
        engineer,
        content,
        dry_run=False,
        mapping={
            "host": "name",
            "site": "site",
            "serial": "attributes.serial_number",
            "team": "support_team",
        },
        match_on=["name", "site"],
        default_class=classes["hardware"],
    )
    assert (job.created_count, job.updated_count) == (2, 1)
    assert sorted(ConfigurationItem.objects.values_list("site__code", "attributes")) == [
        ("BJ01", {"serial_number": "X2"}),
        ("SH01", {"serial_number": "X3"}),
    ]
    assert a.pk != b.pk


def test_an_ambiguous_identification_is_rejected(classes, team, engineer):
    for _n in range(2):
        factories.ci(ci_class=classes["hardware"], name="dup", support_team=team)
    job = run(
        engineer,
        "host\ndup\n",
        dry_run=False,
        mapping={"host": "name"},
        match_on=["name"],
        default_class=classes["hardware"],
    )
    [(row, outcome, column, reason, _f)] = outcomes(job)
    assert (row, outcome, column) == (2, "rejected", "host")
    assert reason.startswith("Ambiguous: name=dup matches CI-")


def test_rows_the_actor_may_not_write_are_rejected(classes, team, engineer):
    other = factories.team(code="NET")
    factories.ci(ci_class=classes["hardware"], name="core-sw", support_team=other)
    job = run(
        engineer,
        "host,desc\ncore-sw,changed\nnew-one,x\n",
        dry_run=False,
        mapping={"host": "name", "desc": "description"},
        match_on=["name"],
        default_class=classes["hardware"],
    )
    assert [(r, o, c) for r, o, c, _reason, _f in outcomes(job)] == [
        (2, "rejected", "support_team"),
        (3, "rejected", "support_team"),
    ]
    assert ConfigurationItem.objects.get(name="core-sw").description == ""


def test_an_xlsx_file_is_read_like_a_csv(classes, team, engineer):
    book = Workbook()
    sheet = book.active
    sheet.append(["Hostname", "Type", "Serial", "IP", "Cores", "Team"])
    sheet.append(["esx-09", "server", "SN-9", "10.0.0.9", 4, "INFRA"])
    out = io.BytesIO()
    book.save(out)
    job = run(engineer, out.getvalue(), dry_run=False, name="hosts.xlsx")
    assert (job.file_format, job.created_count) == ("xlsx", 1)
    assert ConfigurationItem.objects.get().attributes["cpu_cores"] == 4


@pytest.mark.parametrize(
    ("_case", "kwargs", "field"),
    [
        ("unknown field", {"mapping": {"Hostname": "colour"}}, "mapping"),
        ("rule not mapped", {"match_on": ["ci_id"]}, "match_on"),
        ("no rule", {"match_on": []}, "match_on"),
        ("missing column", {"mapping": {**MAPPING, "Rack": "description"}}, "mapping"),
        ("not a table", {"name": "hosts.pdf"}, "file"),
    ],
)
def test_a_bad_import_is_refused_before_it_starts(classes, engineer, _case, kwargs, field):
    kwargs.setdefault("mapping", MAPPING)
    kwargs.setdefault("match_on", ["attributes.serial_number"])
    kwargs.setdefault("name", "hosts.csv")
    with pytest.raises(ValidationFailed) as raised:
        services.import_create(
            actor=engineer,
            file_name=kwargs.pop("name"),
            content=CSV.encode(),
            dry_run=True,
            **kwargs,
        )
    assert raised.value.field == field
    assert ImportJob.objects.count() == 0


def test_requesters_and_auditors_may_not_import(classes):
    for roles in [(Role.REQUESTER,), (Role.AUDITOR,)]:
        person = factories.person(roles=roles)
        with pytest.raises(NotPermitted):
            services.import_create(
                actor=person,
                file_name="a.csv",
                content=CSV.encode(),
                mapping=MAPPING,
                match_on=["attributes.serial_number"],
            )
    assert ImportJob.objects.count() == 0


def test_a_job_runs_once(classes, team, engineer):
    job = run(engineer, dry_run=False)
    assert services.import_run(job_id=job.pk) is None
    assert ConfigurationItem.objects.count() == 1


def test_applying_a_dry_run_imports_the_same_file(classes, team, engineer):
    dry = run(engineer, dry_run=True)
    applied = services.import_apply(actor=engineer, job=dry)
    services.import_run(job_id=applied.pk)
    applied.refresh_from_db()
    assert (applied.dry_run, applied.created_count, applied.rejected_count) == (False, 1, 3)
    with pytest.raises(ValidationFailed):
        services.import_apply(actor=engineer, job=applied)


def test_progress_is_committed_per_chunk(classes, team, engineer, monkeypatch):
    from steward.cmdb.services import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    seen = []
    real = imports._save_counts

    def spy(job, counts):
        seen.append(job.processed)
        real(job, counts)

    monkeypatch.setattr(imports, "_save_counts", spy)
    run(engineer, dry_run=True)
    assert seen == [2, 4, 5]


def test_an_export_re_imports_as_unchanged(classes, team, engineer, admin):
    run(engineer, dry_run=False)
    content = ci_export(user=admin, file_format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "ci_id",
        "name",
        "ci_class",
        "status",
        "site",
        "support_team",
        "owner",
        "criticality",
        "environment",
        "description",
        "attributes.cpu_cores",
        "attributes.mgmt_ip",
        "attributes.serial_number",
    ]
    assert rows[1][1:4] == ["esx-01b", "server", "in_use"]
    csv_content = ci_export(user=admin, file_format="csv")
    mapping = {c: c for c in rows[0] if c not in ("status",)}
    job = run(admin, csv_content, dry_run=False, mapping=mapping, match_on=["ci_id"])
    assert (job.unchanged_count, job.updated_count, job.created_count) == (1, 0, 0)


def test_a_requester_exports_nothing(classes, team, engineer):
    run(engineer, dry_run=False)
    requester = factories.person(roles=(Role.REQUESTER,))
    assert ci_export(user=requester, file_format="csv").decode("utf-8-sig").count("\n") == 1
