"""Raising a request through the API with files for the form's attachment fields: a
multipart body (the JSON document in ``payload``, one file part per attachment field named by
its key). A good file is stored on the request, named in the answers and downloadable by the
requester; any bad part is a 422 naming the field, and nothing is written or stored."""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from steward.fulfilment.models import RequestStatus, ServiceRequest
from steward.fulfilment.tests.conftest import stored_files
from steward.identity.middleware import LANGUAGE_SESSION_KEY
from steward.identity.services import token_create
from steward.incidents.tests.test_api import client_for, conforms, post
from steward.testing import factories
from steward.workitems.models import Attachment

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests"
BADGE_FORM = [
    {"key": "photo", "type": "attachment", "label": "证件照", "required": True},
    {"key": "signature", "type": "attachment", "label": "签名"},
    {"key": "name_on_badge", "type": "text", "label": "工牌姓名", "required": True},
]
ANSWERS = {"name_on_badge": "张三"}
PAYLOAD: dict[str, Any] = {"item_code": "BADGE", "answers": ANSWERS}


def png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


PNG = png()


def photo(name: str = "badge.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def badge(clock: Any, agreement: Any, service: Any, media: Path) -> Any:
    """An item without approval whose form needs a photo (and may take a signature)."""
    return factories.request_item(service=service, code="BADGE", name="工牌", form=BADGE_FORM,
                                  tasks=[{"title": "制作工牌", "team": "DESK"}])


def english_client(person: Any) -> Client:
    """A signed-in client whose session chose English (the messages asserted here)."""
    client = client_for(person)
    session = client.session
    session[LANGUAGE_SESSION_KEY] = "en"
    session.save()
    return client


def multipart(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    """POST ``data`` as multipart/form-data (the test client's default encoding)."""
    return client.post(URL, data, **extra)


def test_requester_raises_a_request_with_a_file_and_downloads_it(
    badge: Any, requester: Any, media: Path,
) -> None:
    # Given the requester's client
    client = client_for(requester)

    # When they raise the badge request with the photo as a file part
    response = multipart(client, {"payload": json.dumps(PAYLOAD), "photo": photo()})

    # Then the request is created with the file attached and named in the answers
    assert response.status_code == 201, response.json()
    body = conforms(response, "requests_create")
    attachment = Attachment.objects.get()
    assert body["answers"] == {
        "name_on_badge": "张三",
        "photo": {"attachment_id": attachment.pk, "filename": "badge.png"},
    }
    assert (body["status"], body["channel"]) == (RequestStatus.IN_FULFILMENT, "api")
    request = ServiceRequest.objects.get(number=body["number"])
    assert (attachment.record, attachment.media_type, attachment.size, attachment.uploaded_by) \
        == (request, "image/png", len(PNG), requester)
    assert stored_files(media) == [media / attachment.file.name]

    # And the requester downloads it through the record attachments route
    listed = client.get(f"/api/v1/records/{body['number']}/attachments")
    assert [a["id"] for a in listed.json()] == [attachment.pk]
    download = client.get(f"/api/v1/records/attachments/{attachment.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG


def test_an_integration_token_raises_with_files_for_two_fields(
    badge: Any, requester: Any,
) -> None:
    # Given a read-write API token of the requester
    _, secret = token_create(actor=requester, name="mobile", scope="read_write")

    # When the photo and the optional signature are sent
    response = multipart(Client(), {
        "payload": json.dumps(PAYLOAD), "photo": photo(),
        "signature": SimpleUploadedFile("sig.pdf", b"%PDF-1.4 sig", content_type="application/pdf"),
    }, HTTP_AUTHORIZATION=f"Bearer {secret}")

    # Then both are attached and answered
    assert response.status_code == 201, response.json()
    answers = conforms(response, "requests_create")["answers"]
    assert {key: answers[key]["filename"] for key in ("photo", "signature")} == {
        "photo": "badge.png", "signature": "sig.pdf"}
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == [
        "badge.png", "sig.pdf"]


def test_json_body_still_raises_requests_without_files(
    clock: Any, agreement: Any, requester: Any, laptop: Any, media: Path,
) -> None:
    # The laptop form's only attachment field (quote) is optional
    response = post(client_for(requester), URL, {
        "item_code": "LAPTOP", "answers": {"model": "t14", "reason": "旧电脑坏了"}})

    assert response.status_code == 201, response.json()
    assert conforms(response, "requests_create")["answers"] == {
        "model": "t14", "reason": "旧电脑坏了"}
    assert (Attachment.objects.count(), stored_files(media)) == (0, [])


@pytest.mark.parametrize(
    ("_case", "send"),
    [
        ("json", lambda client: post(client, URL, PAYLOAD)),
        ("multipart", lambda client: multipart(client, {"payload": json.dumps(PAYLOAD)})),
    ],
)
def test_required_attachment_missing_is_a_422_naming_it(
    badge: Any, requester: Any, media: Path, _case: str, send: Callable[[Client], Any],
) -> None:
    # When the badge request comes without the required photo
    response = send(english_client(requester))

    # Then it is refused naming the photo field, and nothing is written or stored
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"], response.json()["detail"]) == (
        "invalid", "photo", "This field is required.")
    assert (ServiceRequest.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(media) == []


def _answered(**answers: Any) -> str:
    return json.dumps({**PAYLOAD, "answers": {**ANSWERS, **answers}})


@pytest.mark.parametrize(
    ("_case", "data", "field", "says"),
    [
        ("empty file", lambda: {"payload": _answered(), "photo": photo(content=b"")},
         "photo", "The file is empty."),
        ("too large, after a good file",
         lambda: {"payload": _answered(), "signature": photo("sig.png"),
                  "photo": photo(content=PNG + b"\0" * (1024 * 1024))},
         "photo", "The file is larger than 1 MB."),
        ("a program", lambda: {"payload": _answered(), "photo": photo("badge.png.exe")},
         "photo", "Files of type .exe are not accepted: programs and scripts could harm the "
         "computers that open them."),
        ("file for a text field",
         lambda: {"payload": _answered(), "photo": photo(), "name_on_badge": photo()},
         "name_on_badge", "name_on_badge is not an attachment field; it takes no file."),
        ("file for an unknown field",
         lambda: {"payload": _answered(), "photo": photo(), "colour": photo()},
         "colour", "This form has no field colour."),
        ("attachment answered in the payload",
         lambda: {"payload": _answered(photo="badge.png")},
         "photo", "photo is an attachment field: send a file for it, not an answer."),
        ("two files for one field",
         lambda: {"payload": _answered(), "photo": [photo(), photo("b.png")]},
         "photo", "Send one file per field."),
        ("a field as a text part",
         lambda: {"payload": _answered(), "photo": photo(), "name_on_badge": "李四"},
         "name_on_badge", "Unexpected part name_on_badge: answers go in the payload part, "
         "files in file parts named by their field key."),
        ("no payload", lambda: {"photo": photo()},
         "payload", "Send the request as JSON in one part named payload."),
        ("payload not JSON", lambda: {"payload": "item_code=BADGE", "photo": photo()},
         "payload", "The payload part is not valid JSON."),
        ("payload without an item", lambda: {"payload": "{}", "photo": photo()},
         "item_code", "item_code: Field required"),
    ],
)
def test_bad_parts_are_a_422_naming_the_field_and_write_nothing(
    badge: Any, requester: Any, media: Path, settings: Any,
    _case: str, data: Any, field: str, says: str,
) -> None:
    # Given attachments limited to 1 MB
    settings.STEWARD_ATTACHMENT_MAX_BYTES = 1024 * 1024

    # When the request is sent with a bad part
    response = multipart(english_client(requester), data())

    # Then it is refused naming the field, and nothing is written or stored
    assert response.status_code == 422, response.json()
    body = response.json()
    assert (body["code"], body["field"], body["detail"]) == ("invalid", field, says)
    assert (ServiceRequest.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(media) == []
