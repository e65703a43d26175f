"""Bulk import in the console: upload a CSV/XLSX file, choose the class and map its
columns, see a dry run (what would be created, updated or rejected, with row, column and
reason), then run it for real as a job whose progress bar follows by htmx polling.

The uploaded file waits between the upload and the mapping step in the default storage,
named by a signed token bound to the uploader (``django.core.signing``); the dry run is
``cmdb.services.import_create`` like the API's, and the real run ``import_apply``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from steward.cmdb import permissions, selectors, services, tabular, tasks
from steward.cmdb.classtree import class_tree, definitions_of
from steward.cmdb.importer import FIELDS
from steward.cmdb.models import CiClass, ImportJob, ImportOutcome, ImportStatus
from steward.console.access import render_page, staff_required, wants_partial
from steward.console.cmdb_forms import label_of
from steward.console.views.cmdb import class_choices
from steward.core.errors import DomainError
from steward.core.views import add_domain_error

SYNC_ROWS = 500
"""Files up to this many rows run in the request; larger ones as the Huey job."""
PREVIEW_ROWS = 5
TOKEN_AGE = 24 * 3600
SALT = "steward.console.cmdb_import"
FIELD_LABELS = {
    "ci_id": _("CI id"), "name": _("Name"), "description": _("Description"),
    "ci_class": _("Class (code)"), "status": _("Status"), "site": _("Site (code)"),
    "support_team": _("Support team (code)"), "owner": _("Owner (user name)"),
    "criticality": _("Criticality"), "environment": _("Environment"),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"),
                           help_text=_("UTF-8 CSV, or XLSX; gzip-compressed allowed."))
    default_class = forms.ChoiceField(label=_("Class of new CIs"), required=False,
                                      help_text=_("Used when no column gives the class."))
    encoding = forms.CharField(label=_("Encoding"), required=False, max_length=20,
                               help_text=_("Blank: UTF-8. GB18030 for files saved by Excel "
                                           "in Chinese Windows."))
    delimiter = forms.ChoiceField(label=_("Delimiter"), required=False, choices=[
        ("", _("Detect")), (",", ","), (";", ";"), ("\t", _("Tab")), ("|", "|")])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["default_class"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *class_choices(user)]


def _targets(class_code: str) -> list[tuple[str, str]]:
    """Fields a column may map to: the CI fields, then every attribute of every class
    (the default class's first)."""
    tree = class_tree()
    classes = sorted(CiClass.objects.all(), key=lambda c: (c.code != class_code, c.code))
    attributes: dict[str, str] = {}
    for ci_class in classes:
        for spec in definitions_of(ci_class, tree):
            attributes.setdefault(f"attributes.{spec['key']}",
                                  f"{label_of(spec)} ({spec['key']})")
    return [*((f, str(FIELD_LABELS[f])) for f in FIELDS), *attributes.items()]


def _guess(column: str, targets: list[tuple[str, str]]) -> str:
    wanted = column.strip().casefold()
    for value, label in targets:
        key = value.removeprefix("attributes.")
        if wanted in (value.casefold(), key.casefold(), label.casefold(),
                      label.rsplit(" (", 1)[0].casefold()):
            return value
    return ""


class MappingForm(forms.Form):
    match_on = forms.MultipleChoiceField(
        label=_("Identification rule"), widget=forms.CheckboxSelectMultiple,
        help_text=_("The fields that find the CI a row updates; no match creates a CI."),
    )

    def __init__(self, *args: Any, header: list[str], targets: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [("", _("(not imported)")), *targets]
        for index, column in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column, required=False, choices=choices,
                initial=_guess(column, targets))
        field = self.fields["match_on"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = targets
        field.initial = ["ci_id"] if "ci_id" in [_guess(c, targets) for c in header] else [
            "name"]

    def columns(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(len(self.header))]

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data[f"col_{i}"] for i, column in enumerate(self.header)
                if self.cleaned_data[f"col_{i}"]}


def _start(job: ImportJob) -> None:
    if job.total <= SYNC_ROWS:
        services.import_run(job_id=job.pk)
    else:
        tasks.cmdb_import_run(job.pk)


@staff_required
def imports(request: HttpRequest) -> HttpResponse:
    """Recent imports, and the upload form (step 1)."""
    can_import = permissions.can_import(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            options = {k: form.cleaned_data[k] for k in ("encoding", "delimiter")
                       if form.cleaned_data[k]}
            try:
                tabular.read(content, file_format=tabular.format_of(upload.name),
                             options=options)
            except tabular.TableError as exc:
                form.add_error("file", str(exc))
            else:
                name = default_storage.save(f"cmdb-imports/{uuid.uuid4().hex}",
                                            ContentFile(content))
                token = signing.dumps({"p": name, "u": request.user.pk, "n": upload.name,
                                       "c": form.cleaned_data["default_class"], "o": options},
                                      salt=SALT)
                return redirect(f"{reverse('console:cmdb_import_mapping')}?t={token}")
        status = 422
    return render_page(request, "console/cmdb/imports.html", {
        "form": form if can_import else None,
        "jobs": selectors.import_list_for(user=request.user)[:30],
    }, section="cmdb", status=status)


def _stash(request: HttpRequest) -> dict[str, Any]:
    try:
        stash: dict[str, Any] = signing.loads(request.GET.get("t", ""), salt=SALT,
                                              max_age=TOKEN_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if stash["u"] != request.user.pk or not default_storage.exists(stash["p"]):
        raise Http404
    return stash


@staff_required
def import_mapping(request: HttpRequest) -> HttpResponse:
    """Step 2: map the columns and choose the identification rule; POST starts a dry run."""
    if not permissions.can_import(request.user):
        raise PermissionDenied
    stash = _stash(request)
    with default_storage.open(stash["p"], "rb") as stored:
        content = stored.read()
    table = tabular.read(content, file_format=tabular.format_of(stash["n"]), options=stash["o"])
    targets = _targets(stash["c"])
    form = MappingForm(request.POST or None, header=table.header, targets=targets)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.import_create(
                    actor=request.user, file_name=stash["n"], content=content,
                    mapping=form.mapping(), match_on=form.cleaned_data["match_on"],
                    default_class=CiClass.objects.filter(code=stash["c"]).first()
                    if stash["c"] else None,
                    options=stash["o"], dry_run=True,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                default_storage.delete(stash["p"])
                _start(job)
                return redirect("console:cmdb_import", job_id=job.pk)
        status = 422
    return render_page(request, "console/cmdb/import_mapping.html", {
        "form": form, "file_name": stash["n"], "total": len(table.rows),
        "preview": [[row.get(c, "") for c in table.header]
                    for _n, row in table.rows[:PREVIEW_ROWS]],
    }, section="cmdb", status=status)


def _progress_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    running = job.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
    return {
        "job": job, "running": running,
        "percent": 100 if job.status == ImportStatus.DONE
        else (job.processed * 100 // job.total if job.total else 0),
        "can_apply": job.dry_run and job.status == ImportStatus.DONE
        and permissions.can_import(request.user),
    }


@staff_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """A job: progress (polled while it runs), summary and its rows (``?outcome=``)."""
    job = selectors.import_get_for(user=request.user, job_id=job_id)
    outcome = request.GET.get("outcome", "")
    outcome = outcome if outcome in ImportOutcome.values else ""
    rows = selectors.import_rows_for(user=request.user, job=job, outcome=outcome)
    return render_page(request, "console/cmdb/import_job.html", {
        **_progress_context(request, job),
        "outcome": outcome, "outcomes": ImportOutcome.choices,
        "page_obj": Paginator(rows, 100).get_page(request.GET.get("page")),
    }, section="cmdb")


@staff_required
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment; it stops polling once the job is done or failed, and then
    asks the page to reload (to show the rows)."""
    job = selectors.import_get_for(user=request.user, job_id=job_id)
    context = _progress_context(request, job)
    response = render_page(request, "console/cmdb/_import_progress.html", context,
                           section="cmdb")
    if wants_partial(request) and not context["running"]:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@staff_required
def import_apply(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """Run a finished dry run for real; the new job's page shows its progress."""
    job = selectors.import_get_for(user=request.user, job_id=job_id)
    if not permissions.can_import(request.user):
        raise PermissionDenied
    try:
        applied = services.import_apply(actor=request.user, job=job)
    except DomainError:
        return redirect("console:cmdb_import", job_id=job.pk)
    _start(applied)
    return redirect("console:cmdb_import", job_id=applied.pk)
