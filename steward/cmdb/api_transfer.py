"""CMDB API: bulk import (dry run, progress, row results, apply), export, discovery.

Thin like ``cmdb.api``: small files run in the request, large ones as a background job the
client polls (``GET /imports/{id}``: ``processed``/``total``/``percent``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate
from pydantic import ValidationError

from steward.cmdb import selectors, services, tasks
from steward.cmdb.export import ci_export
from steward.cmdb.models import CiClass, ImportJob
from steward.cmdb.schemas import (
    DiscoveryHostOut,
    DiscoveryIn,
    FactOut,
    ImportCreateIn,
    ImportJobOut,
    ImportRowOut,
)
from steward.core.errors import ValidationFailed

router = Router(tags=["cmdb"])

SYNC_ROWS = 500
"""Files up to this many rows are imported in the request; larger ones in the background."""

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _class(code: str | None) -> CiClass | None:
    if not code:
        return None
    found = CiClass.objects.filter(code=code).first()
    if found is None:
        raise ValidationFailed(_("No such class."), field="default_class")
    return found


def _start(job: ImportJob) -> ImportJob:
    if job.total <= SYNC_ROWS:
        services.import_run(job_id=job.pk)
    else:
        tasks.cmdb_import_run(job.pk)
    return job


@router.post("/imports", response={201: ImportJobOut}, operation_id="cmdb_imports_create")
def imports_create(request: HttpRequest, file: File[UploadedFile], options: Form[str]) -> Any:
    """Upload a CSV/XLSX file with its options (JSON, see ``ImportCreateIn``)."""
    try:
        payload = ImportCreateIn.model_validate_json(options)
    except ValidationError as exc:
        raise ValidationFailed(str(exc.errors()[0]["msg"]), field="options") from None
    default_class = _class(payload.default_class)
    job = services.import_create(
        actor=request.user,
        file_name=file.name or "upload.csv",
        content=file.read(),
        mapping=payload.mapping,
        match_on=payload.match_on,
        default_class=default_class,
        value_map=payload.value_map,
        options=payload.reading.dict(exclude_none=True),
        dry_run=payload.dry_run,
    )
    _start(job)
    return Status(201, selectors.import_get_for(user=request.user, job_id=job.pk))


@router.get("/imports", response=list[ImportJobOut], operation_id="cmdb_imports_list")
@paginate(CursorPagination, ordering=("-id",))
def imports_list(request: HttpRequest) -> Any:
    return selectors.import_list_for(user=request.user)


@router.get("/imports/{job_id}", response=ImportJobOut, operation_id="cmdb_imports_get")
def imports_get(request: HttpRequest, job_id: int) -> Any:
    return selectors.import_get_for(user=request.user, job_id=job_id)


@router.get("/imports/{job_id}/rows", response=list[ImportRowOut], operation_id="cmdb_imports_rows")
@paginate(CursorPagination, ordering=("id",))
def imports_rows(
    request: HttpRequest,
    job_id: int,
    outcome: str = "",
) -> Any:
    job = selectors.import_get_for(user=request.user, job_id=job_id)
    return selectors.import_rows_for(user=request.user, job=job, outcome=outcome)


@router.post(
    "/imports/{job_id}/apply", response={201: ImportJobOut}, operation_id="cmdb_imports_apply"
)
def imports_apply(request: HttpRequest, job_id: int) -> Any:
    """Import for real what a finished dry run checked."""
    job = selectors.import_get_for(user=request.user, job_id=job_id)
    applied = _start(services.import_apply(actor=request.user, job=job))
    return Status(201, selectors.import_get_for(user=request.user, job_id=applied.pk))


@router.get("/export", operation_id="cmdb_export")
def export(
    request: HttpRequest,
    format: str = "csv",  # noqa: A002 - the query parameter's name
    columns: str = "",
    ci_class: str = "",
    status: str = "",
    site: str = "",
    team: str = "",
) -> HttpResponse:
    """The visible CIs as CSV or XLSX (``columns``: comma-separated CI fields)."""
    content = ci_export(
        user=request.user,
        file_format=format,
        columns=[c.strip() for c in columns.split(",") if c.strip()] or None,
        ci_class=ci_class,
        status=status,
        site=site,
        team=team,
    )
    response = HttpResponse(content, content_type=_CONTENT_TYPES.get(format, "text/csv"))
    response["Content-Disposition"] = f'attachment; filename="cmdb.{format}"'
    return response


@router.post("/discovery", response=list[DiscoveryHostOut], operation_id="cmdb_discovery")
def discovery(request: HttpRequest, payload: DiscoveryIn) -> Any:
    """Reconcile pushed host facts with the CMDB; one answer per host, in order."""
    default_class = _class(payload.default_class)
    return services.discovery_submit(
        actor=request.user,
        source=payload.source,
        hosts=payload.hosts,
        rules=payload.rules,
        default_class=default_class,
        observed_at=payload.observed_at,
    )


@router.get("/cis/{ci_id}/facts", response=list[FactOut], operation_id="cmdb_cis_facts")
def cis_facts(request: HttpRequest, ci_id: str) -> Any:
    """Where and when each discovered value of the CI was last reported."""
    ci = selectors.ci_get_for(user=request.user, ci_id=ci_id)
    return selectors.facts_for(user=request.user, ci=ci)
