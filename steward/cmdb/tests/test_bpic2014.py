"""The importer on data nobody here made: the CIs named in the BPI Challenge 2014 incident
and change files of Rabobank Group ICT (4TU.ResearchData, DOI 10.4121/uuid:c3e5d162-0cfd-
4bb0-bd82-af5268819c35), read from the shared data folder, never copied into the project.

Columns ``CI Name``, ``CI Type``, ``CI Subtype`` and ``Service Component WBS`` map to the
name, the class and two attributes; the CI name identifies a CI. The files are
semicolon-separated latin-1 with ``#N/B`` (n/a) placeholders and trailing empty columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.cmdb import services
from steward.cmdb.models import ConfigurationItem, ImportJob, ImportRow

DATA = Path("/work/shared/data/bpic2014-rabobank")
INCIDENTS = DATA / "Detail_Incident.csv.gz"
CHANGES = DATA / "Detail_Change.csv.gz"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (INCIDENTS.exists() and CHANGES.exists()),
        reason=f"BPIC 2014 data not found in {DATA} (shared data folder absent)",
    ),
]

TYPES = [
    "application",
    "applicationcomponent",
    "computer",
    "database",
    "displaydevice",
    "hardware",
    "networkcomponents",
    "officeelectronics",
    "phone",
    "software",
    "storage",
    "subapplication",
]
NOT_AVAILABLE = {"#N/B": "", "#MULTIVALUE": ""}
READING = {"encoding": "latin-1", "delimiter": ";"}


def _classes():
    root = services.class_create(
        actor=None,
        code="rabobank_ci",
        name="Rabobank CI",
        attributes=[
            {"key": "subtype", "type": "string", "label": "CI Subtype"},
            {"key": "service_component", "type": "string", "label": "Service Component WBS"},
        ],
    )
    for code in TYPES:
        services.class_create(actor=None, code=code, name=code, parent=root)


def _import(actor, path, name, ci_type, subtype, wbs, *, dry_run=False):
    job = services.import_create(
        actor=actor,
        file_name=path.name,
        content=path.read_bytes(),
        mapping={
            name: "name",
            ci_type: "ci_class",
            subtype: "attributes.subtype",
            wbs: "attributes.service_component",
        },
        match_on=["name"],
        value_map={
            "name": NOT_AVAILABLE,
            "ci_class": {**NOT_AVAILABLE, "Phone": "phone"},
            "attributes.subtype": NOT_AVAILABLE,
            "attributes.service_component": NOT_AVAILABLE,
        },
        options=READING,
        dry_run=dry_run,
    )
    services.import_run(job_id=job.pk)
    job.refresh_from_db()
    counts = (
        job.total,
        job.created_count,
        job.updated_count,
        job.unchanged_count,
        job.rejected_count,
    )
    reasons = sorted(
        {
            (column, reason, ImportRow.objects.filter(job=job, reason=reason).count())
            for column, reason in ImportRow.objects.filter(job=job, outcome="rejected").values_list(
                "column", "reason"
            )
        }
    )
    return job, counts, reasons


def test_the_bpic_2014_cis_import(admin):
    _classes()
    aff = ("CI Name (aff)", "CI Type (aff)", "CI Subtype (aff)", "Service Component WBS (aff)")
    cby = ("CI Name (CBy)", "CI Type (CBy)", "CI Subtype (CBy)", "ServiceComp WBS (CBy)")

    _dry, dry_counts, _r = _import(admin, INCIDENTS, *aff, dry_run=True)
    _job, counts, reasons = _import(admin, INCIDENTS, *aff)
    assert ConfigurationItem.objects.count() == counts[1]
    assert dry_counts == counts
    _job, cby_counts, cby_reasons = _import(admin, INCIDENTS, *cby)
    _job, change_counts, change_reasons = _import(admin, CHANGES, *aff)

    # (rows, created, updated, unchanged, rejected); 203 all-empty lines are not rows.
    # Updates: 58 CI names carry different type/subtype/WBS on different incident rows.
    assert counts == (46606, 2999, 127, 43369, 111)
    assert reasons == [("CI Type (aff)", "No such ci_class: no type.", 111)]
    assert cby_counts == (46606, 1243, 190, 43974, 1199)
    assert cby_reasons == [
        ("CI Name (CBy)", "The identification value name is missing.", 1107),
        ("CI Type (CBy)", "No such ci_class: no type.", 92),
    ]
    assert change_counts == (30275, 9300, 275, 20529, 171)
    assert change_reasons == [("CI Type (aff)", "No such ci_class: no type.", 171)]
    assert ConfigurationItem.objects.count() == 2999 + 1243 + 9300
    assert ImportJob.objects.filter(status="done").count() == 4
