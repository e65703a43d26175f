"""Bulk import of CIs from CSV/XLSX: create the job (file, mapping, identification rule),
run it (dry or real) in chunks that commit progress, and apply a checked dry run.

See docs/processes/cmdb.md ("Import and export"). Row logic lives in ``cmdb.importer``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.cmdb import permissions, tabular
from steward.cmdb.importer import Importer, Result, is_target
from steward.cmdb.models import CiClass, ImportJob, ImportOutcome, ImportRow, ImportStatus
from steward.cmdb.services.common import require
from steward.core.errors import ValidationFailed

CHUNK = 200
"""Rows per transaction: progress becomes visible, and a failure keeps earlier chunks."""

MAX_BYTES = 50 * 1024 * 1024


def _check_rule(mapping: dict[str, str], match_on: list[str]) -> None:
    bad = sorted(t for t in mapping.values() if not is_target(t))
    if bad:
        raise ValidationFailed(_("Unknown CI field %(f)s.") % {"f": bad[0]}, field="mapping")
    if len(set(mapping.values())) != len(mapping):
        raise ValidationFailed(_("Two columns map to the same field."), field="mapping")
    if not match_on:
        raise ValidationFailed(_("Name the fields that identify a CI."), field="match_on")
    unmapped = [t for t in match_on if t not in mapping.values()]
    if unmapped:
        raise ValidationFailed(
            _("The identification field %(f)s is not mapped to a column.") % {"f": unmapped[0]},
            field="match_on",
        )


def import_create(
    *,
    actor: Any,
    file_name: str,
    content: bytes,
    mapping: dict[str, str],
    match_on: list[str],
    default_class: CiClass | None = None,
    value_map: dict[str, dict[str, str]] | None = None,
    options: dict[str, Any] | None = None,
    dry_run: bool = True,
) -> ImportJob:
    """Register an import of ``content`` (CSV or XLSX, gzip allowed); nothing is imported yet.

    ``mapping`` is ``{column: field}``; ``match_on`` the identification rule (mapped fields);
    ``value_map`` rewrites cell values per field before use (``{"ci_class": {"Phone":
    "phone"}}``). Checks that the file reads and that every mapped column exists, and
    counts the rows. Raises ``NotPermitted``, ``ValidationFailed``.
    """
    if actor is not None:
        require(permissions.can_import(actor), _("You may not import CIs."))
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 50 MB."), field="file")
    _check_rule(mapping, match_on)
    try:
        file_format = tabular.format_of(file_name)
        table = tabular.read(content, file_format=file_format, options=options)
    except tabular.TableError as exc:
        raise ValidationFailed(str(exc), field="file") from None
    missing = [column for column in mapping if column not in table.header]
    if missing:
        raise ValidationFailed(
            _("The file has no column %(c)s.") % {"c": missing[0]}, field="mapping"
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            file_name=file_name[:200],
            content=content,
            file_format=file_format,
            options=options or {},
            mapping=mapping,
            value_map=value_map or {},
            match_on=match_on,
            default_class=default_class,
            dry_run=dry_run,
            total=len(table.rows),
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            obj=job,
            action="create",
            changes={"file_name": job.file_name, "dry_run": dry_run, "total": job.total},
        )
    return job


def import_apply(*, actor: Any, job: ImportJob) -> ImportJob:
    """A real run of a finished dry run: a new job with the same file and rules."""
    if job.status != ImportStatus.DONE or not job.dry_run:
        raise ValidationFailed(_("Only a finished dry run can be applied."), field="job")
    return import_create(
        actor=actor,
        file_name=job.file_name,
        content=bytes(job.content),
        mapping=job.mapping,
        match_on=job.match_on,
        default_class=job.default_class,
        value_map=job.value_map,
        options=job.options,
        dry_run=False,
    )


def _row(job: ImportJob, number: int, result: Result) -> ImportRow:
    return ImportRow(
        job=job,
        row=number,
        outcome=result.outcome,
        ci=result.ci if result.ci is not None and result.ci.pk else None,
        key=result.key[:300],
        column=result.column[:200],
        reason=result.reason[:500],
        fields=result.fields,
    )


def _claim(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(no_key=True).filter(pk=job_id).first()
        if job is None or job.status != ImportStatus.PENDING:
            return None
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def import_run(*, job_id: int) -> ImportJob | None:
    """Run a pending job as its creator; idempotent (a job runs once; None if not pending).

    Commits every ``CHUNK`` rows with the counts, so ``processed/total`` is the progress.
    Rejected rows are recorded with row number, column and reason and do not stop the job.
    """
    job = _claim(job_id)
    if job is None:
        return None
    counts = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
    try:
        table = tabular.read(bytes(job.content), file_format=job.file_format, options=job.options)
        importer = Importer(job, actor=job.created_by)
        for chunk in tabular.iter_chunks(table.rows, CHUNK):
            with transaction.atomic():
                results = [(number, importer.process(row)) for number, row in chunk]
                for _number, result in results:
                    counts[result.outcome] += 1
                ImportRow.objects.bulk_create(
                    [_row(job, n, r) for n, r in results if r.outcome in ImportOutcome.values]
                )
                job.processed += len(chunk)
                _save_counts(job, counts)
    except Exception as exc:
        job.status = ImportStatus.FAILED
        job.error = str(exc)[:500]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    return job


def _save_counts(job: ImportJob, counts: dict[str, int]) -> None:
    job.created_count = counts["created"]
    job.updated_count = counts["updated"]
    job.unchanged_count = counts["unchanged"]
    job.rejected_count = counts["rejected"]
    job.save(
        update_fields=[
            "processed",
            "created_count",
            "updated_count",
            "unchanged_count",
            "rejected_count",
            "updated_at",
        ]
    )
