"""API wiring of import and export: upload with options, progress, row results, apply,
the error map and the visibility rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from steward.cmdb.models import ConfigurationItem, ImportJob
from steward.identity.models import Role
from steward.testing import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cmdb"
CSV = b"host,type,serial,ip,team\nesx-01,server,SN-1,10.0.0.1,INFRA\nesx-02,server,SN-2,bad,INFRA\n"
OPTIONS: dict[str, Any] = {
    "mapping": {
        "host": "name",
        "type": "ci_class",
        "serial": "attributes.serial_number",
        "ip": "attributes.mgmt_ip",
        "team": "support_team",
    },
    "match_on": ["attributes.serial_number"],
}


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def upload(client, options=OPTIONS, content=CSV, name="hosts.csv"):
    return client.post(
        f"{BASE}/imports",
        {"file": SimpleUploadedFile(name, content), "options": json.dumps(options)},
    )


def test_a_dry_run_upload_answers_with_counts_and_rows(classes, engineer):
    client = client_for(engineer)
    response = upload(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("status", "dry_run", "total", "processed", "percent")} == {
        "status": "done",
        "dry_run": True,
        "total": 2,
        "processed": 2,
        "percent": 100,
    }
    assert (body["created_count"], body["rejected_count"]) == (1, 1)
    rows = client.get(f"{BASE}/imports/{body['id']}/rows?outcome=rejected").json()["results"]
    assert rows == [
        {
            "row": 3,
            "outcome": "rejected",
            "ci_id": None,
            "key": "attributes.serial_number=SN-2",
            "column": "ip",
            "reason": "请输入有效的 IP 地址。",  # stored in the language of the request
            "fields": [],
        }
    ]
    assert ConfigurationItem.objects.count() == 0

    applied = client.post(f"{BASE}/imports/{body['id']}/apply")

    assert applied.status_code == 201
    assert (applied.json()["dry_run"], applied.json()["created_count"]) == (False, 1)
    assert ConfigurationItem.objects.get().name == "esx-01"
    listed = client.get(f"{BASE}/imports").json()["results"]
    assert [j["id"] for j in listed] == [applied.json()["id"], body["id"]]


def test_bad_options_and_unknown_columns_answer_422(classes, engineer):
    client = client_for(engineer)
    bad_json = client.post(
        f"{BASE}/imports", {"file": SimpleUploadedFile("a.csv", CSV), "options": "{"}
    )
    unknown = upload(client, {**OPTIONS, "mapping": {**OPTIONS["mapping"], "rack": "name"}})
    assert (bad_json.status_code, bad_json.json()["code"]) == (422, "invalid")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid")
    assert ImportJob.objects.count() == 0


def test_a_requester_may_not_import_nor_see_imports(classes, engineer):
    job_id = upload(client_for(engineer)).json()["id"]
    requester = client_for(factories.person(roles=(Role.REQUESTER,)))
    assert upload(requester).status_code == 403
    assert requester.get(f"{BASE}/imports/{job_id}").status_code == 404
    assert requester.get(f"{BASE}/imports").json()["results"] == []
    assert ImportJob.objects.count() == 1


def test_export_answers_a_csv_and_an_xlsx(classes, engineer, admin):
    client = client_for(engineer)
    upload(client, {**OPTIONS, "dry_run": False})
    csv_response = client.get(f"{BASE}/export?columns=ci_id,name,attributes.mgmt_ip")
    xlsx_response = client.get(f"{BASE}/export?format=xlsx&ci_class=hardware")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    ci = ConfigurationItem.objects.get()
    assert csv_response.content.decode("utf-8-sig").splitlines() == [
        "ci_id,name,attributes.mgmt_ip",
        f"{ci.ci_id},esx-01,10.0.0.1",
    ]
    assert xlsx_response.status_code == 200
    assert xlsx_response.content[:2] == b"PK"
    bad = client.get(f"{BASE}/export?columns=colour")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid")


def test_the_import_list_has_a_query_cap(classes, engineer, django_assert_max_num_queries):
    client = client_for(engineer)
    for _n in range(3):
        upload(client)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/imports")
    assert len(response.json()["results"]) == 3


def test_every_operation_of_the_second_slice_has_a_complete_schema():
    from steward.cmdb.api_assets import router as assets
    from steward.cmdb.api_baselines import router as baselines
    from steward.cmdb.api_transfer import router as transfer

    operations = set()
    for router in (transfer, baselines, assets):
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in operation.models:
                    model.model_json_schema()
                for response in operation.response_models.values():
                    if hasattr(response, "model_json_schema"):  # export answers a file
                        response.model_json_schema()
                operations.add(operation.operation_id)
    assert len(operations) == 28
    assert {"cmdb_imports_create", "cmdb_discovery", "cmdb_baselines_compare"} <= operations


def test_the_openapi_document_builds_with_the_new_routes(client):
    response = client.get("/api/v1/openapi.json")
    paths = response.json()["paths"]
    assert {"/api/v1/cmdb/imports", "/api/v1/cmdb/licences/compliance"} <= set(paths)


def test_a_large_file_runs_as_a_background_job(classes, engineer, monkeypatch):
    from steward.cmdb import api_transfer

    monkeypatch.setattr(api_transfer, "SYNC_ROWS", 1)
    response = upload(client_for(engineer), {**OPTIONS, "dry_run": False})
    job = ImportJob.objects.get()
    assert response.status_code == 201
    assert (job.status, job.processed, job.created_count) == ("done", 2, 1)
