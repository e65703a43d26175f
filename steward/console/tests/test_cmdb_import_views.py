"""Console › CMDB › Import: upload, map the columns, dry run with row/column/reason, the
real run with its polled progress bar, and an export that re-imports unchanged."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.cmdb import index, services
from steward.cmdb.models import ConfigurationItem, ImportJob
from steward.cmdb.tests.conftest import classes, team  # noqa: F401
from steward.identity.models import Role
from steward.identity.services import team_set_members
from steward.testing import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CSV = (b"name,class,team,mgmt ip,serial\n"
       b"web-01,server,INFRA,10.0.0.7,SN1\n"
       b"web-02,server,INFRA,not-an-ip,SN2\n")
MAPPING = {"col_0": "name", "col_1": "ci_class", "col_2": "support_team",
           "col_3": "attributes.mgmt_ip", "col_4": "attributes.serial_number",
           "match_on": ["attributes.serial_number"]}


@pytest.fixture(autouse=True)
def fresh_index(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    index.reset()
    yield
    index.reset()


@pytest.fixture
def engineer(team):  # noqa: F811
    person = factories.person(roles=(Role.AGENT,), username="engineer")
    team_set_members(actor=None, team=team, members=[person])
    return person


def client_for(person):
    client = Client()
    client.force_login(person)
    client.post("/language/", {"language": "en"})
    return client


def upload(client, content=CSV, name="servers.csv", **fields):
    return client.post(reverse("console:cmdb_imports"), {
        "file": SimpleUploadedFile(name, content), "default_class": "", "encoding": "",
        "delimiter": "", **fields})


def test_upload_map_dry_run_then_import_for_real(engineer, classes):  # noqa: F811
    client = client_for(engineer)

    uploaded = upload(client)
    mapping_url = uploaded["Location"]
    page = client.get(mapping_url)
    dry = client.post(mapping_url, MAPPING)

    assert uploaded.status_code == 302
    assert mapping_url.startswith(reverse("console:cmdb_import_mapping") + "?t=")
    form = page.context["form"]
    assert [f.label for f in form.columns()] == ["name", "class", "team", "mgmt ip", "serial"]
    assert [f.initial for f in form.columns()] == ["name", "ci_class", "", "", ""]
    assert page.context["preview"][1] == ["web-02", "server", "INFRA", "not-an-ip", "SN2"]
    job = ImportJob.objects.get()
    assert dry["Location"] == reverse("console:cmdb_import", args=[job.pk])
    assert (job.dry_run, job.status, job.created_count, job.rejected_count) == (
        True, "done", 1, 1)
    assert not ConfigurationItem.objects.exists()

    result = client.get(dry["Location"])

    html = result.content.decode()
    assert [(r.row, r.outcome, r.column, r.reason) for r in result.context["page_obj"]] == [
        (2, "created", "", ""), (3, "rejected", "mgmt ip", "Enter a valid IP address.")]
    assert 'hx-trigger="every 1s"' not in html
    assert 'id="import-summary"' in html
    assert reverse("console:cmdb_import_apply", args=[job.pk]) in html

    applied = client.post(reverse("console:cmdb_import_apply", args=[job.pk]))

    real = ImportJob.objects.get(dry_run=False)
    assert applied["Location"] == reverse("console:cmdb_import", args=[real.pk])
    assert (real.status, real.created_count, real.rejected_count) == ("done", 1, 1)
    assert list(ConfigurationItem.objects.values_list("name", "attributes")) == [
        ("web-01", {"mgmt_ip": "10.0.0.7", "serial_number": "SN1"})]


def test_the_progress_bar_polls_every_second_until_the_job_is_done(engineer, classes):  # noqa: F811
    client = client_for(engineer)
    job = services.import_create(
        actor=engineer, file_name="servers.csv", content=CSV,
        mapping={"name": "name", "class": "ci_class", "team": "support_team"},
        match_on=["name"])
    url = reverse("console:cmdb_import_progress", args=[job.pk])

    running = client.get(url, **HTMX)
    page = client.get(reverse("console:cmdb_import", args=[job.pk]))
    services.import_run(job_id=job.pk)
    done = client.get(url, **HTMX)

    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert f'hx-get="{url}"' in page.content.decode()
    assert '<progress max="100" value="0"' in running.content.decode()
    assert "HX-Refresh" not in running
    assert 'hx-trigger="every 1s"' not in done.content.decode()
    assert '<progress max="100" value="100"' in done.content.decode()
    assert done["HX-Refresh"] == "true"


def test_an_unmapped_identification_field_is_a_form_error(engineer, classes):  # noqa: F811
    client = client_for(engineer)
    mapping_url = upload(client)["Location"]

    response = client.post(mapping_url, {**MAPPING, "match_on": ["ci_id"]})

    assert response.status_code == 422
    assert response.context["form"].errors["match_on"] == [
        "The identification field ci_id is not mapped to a column."]
    assert not ImportJob.objects.exists()


def test_a_file_that_does_not_read_is_refused_at_upload(engineer):
    response = upload(client_for(engineer), content=b"x", name="servers.pdf")

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["file"]


def test_a_token_of_someone_else_or_forged_is_404(engineer, classes):  # noqa: F811
    mapping_url = upload(client_for(engineer))["Location"]
    other = factories.person(roles=(Role.ADMINISTRATOR,))

    assert client_for(other).get(mapping_url).status_code == 404
    assert client_for(engineer).get(
        reverse("console:cmdb_import_mapping") + "?t=forged").status_code == 404


def test_an_auditor_sees_imports_but_may_not_upload(classes):  # noqa: F811
    auditor = factories.person(roles=(Role.AUDITOR,))
    client = client_for(auditor)

    page = client.get(reverse("console:cmdb_imports"))
    posted = upload(client)

    assert page.status_code == 200
    assert page.context["form"] is None
    assert posted.status_code == 403
    assert not ImportJob.objects.exists()


def test_an_xlsx_export_of_the_list_reimports_unchanged(engineer, classes, team):  # noqa: F811
    for n in range(3):
        factories.ci(ci_class=classes["software"], name=f"app-{n}", support_team=team)
    client = client_for(engineer)
    exported = client.get(reverse("console:cmdb_export"), {"format": "xlsx"})

    mapping_url = upload(client, content=exported.content, name="cis.xlsx")["Location"]
    form = client.get(mapping_url).context["form"]
    data = {f.name: f.initial for f in form.columns()} | {"match_on": ["ci_id"]}
    client.post(mapping_url, data)

    job = ImportJob.objects.get()
    assert (job.total, job.unchanged_count, job.created_count, job.rejected_count) == (
        3, 3, 0, 0)
