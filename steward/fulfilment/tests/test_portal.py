"""Portal pages of service requests: the request form built from the item's form definition
(all nine field types), the request page with live progress, the approvals inbox, delegation
and the signed link page. Thin wiring tests over the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from steward.fulfilment.models import ApprovalDelegation, RequestStatus, ServiceRequest
from steward.fulfilment.services import approval_link_token
from steward.fulfilment.tests.conftest import state_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_request_form_renders_every_field_type_in_chinese(
    requester: Any, laptop: Any, agreement: Any,
) -> None:
    response = client_for(requester).get("/portal/request/LAPTOP/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert 'data-item="LAPTOP" data-version="1"' in html
    for snippet in (
        '<select name="model"', '<textarea name="reason"', 'name="asset_tag"',
        'type="checkbox" name="extras" value="mouse"', 'name="for_person"',
        'type="date" name="needed_by"', 'type="number" name="quantity"',
        'type="file" name="quote"', 'name="old_device"',
    ):
        assert snippet in html, snippet
    assert "型号" in html  # the labels of the form definition


def test_the_service_page_offers_to_request_an_item(requester: Any, laptop: Any) -> None:
    html = client_for(requester).get("/portal/catalogue/IT-EQ/").content.decode()
    assert 'href="/portal/request/LAPTOP/"' in html


def test_sending_the_form_raises_the_request_with_its_file(
    clock: Any, requester: Any, laptop: Any, agreement: Any, manager: Any,
) -> None:
    response = client_for(requester).post("/portal/request/LAPTOP/", {
        "model": "t14", "reason": "旧电脑坏了", "extras": ["mouse"],
        "for_person": requester.username, "needed_by": "2026-03-10", "quantity": "1",
        "quote": SimpleUploadedFile("quote.pdf", b"%PDF quote"),
    })
    assert response.status_code == 302
    assert response["Location"] == "/portal/tickets/REQ-000001/"
    request = ServiceRequest.objects.get()
    assert request.answers["for_person"] == requester.pk
    assert request.answers["quote"]["filename"] == "quote.pdf"
    assert request.status == RequestStatus.AWAITING_APPROVAL


def test_a_bad_answer_is_a_422_on_its_field_and_nothing_is_raised(
    requester: Any, laptop: Any, agreement: Any, manager: Any,
) -> None:
    response = client_for(requester).post("/portal/request/LAPTOP/", {
        "model": "t14", "reason": "x", "asset_tag": "bad"})
    assert response.status_code == 422
    assert 'id="id_asset_tag_error"' in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_the_request_page_shows_answers_approvals_and_progress(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    html = client_for(requester).get(f"/portal/tickets/{request.number}/").content.decode()
    assert 'data-key="model">ThinkPad T14' in html
    assert 'data-status="awaiting_approval"' in html
    assert '<li data-state="pending">' in html
    assert f'hx-get="/portal/tickets/{request.number}/progress/' in html


def test_my_tickets_list_the_request_with_its_state(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    html = client_for(requester).get("/portal/tickets/").content.decode()
    assert f'href="/portal/tickets/{request.number}/"' in html


def test_the_progress_fragment_is_204_until_something_changes(
    submit: Callable[..., ServiceRequest], requester: Any, manager: Any,
) -> None:
    request = submit()
    client = client_for(requester)
    url = f"/portal/tickets/{request.number}/progress/"
    first = client.get(url, HTTP_HX_REQUEST="true")
    stamp = first.content.decode().split("stamp=")[1].split('"')[0]
    from urllib.parse import unquote

    assert client.get(url, {"stamp": unquote(stamp)}, HTTP_HX_REQUEST="true").status_code == 204
    from steward.fulfilment.services import approval_decide

    approval_decide(actor=manager, approval=request.approvals.get(), decision="approved")
    changed = client.get(url, {"stamp": unquote(stamp)}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert 'data-status="in_fulfilment"' in changed.content.decode()


def test_the_approver_decides_from_the_inbox(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    request = submit()
    approval = request.approvals.get()
    client = client_for(manager)
    inbox = client.get("/portal/approvals/").content.decode()
    assert f'id="approval-{approval.pk}"' in inbox
    assert 'data-key="reason">旧电脑坏了' in inbox
    response = client.post(f"/portal/approvals/{approval.pk}/decide/", {
        f"a{approval.pk}-decision": "rejected", f"a{approval.pk}-comment": "预算不足"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.outcome_note) == ("rejected", "预算不足")


def test_the_requester_cannot_decide_their_own_request(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    approval = request.approvals.get()
    before = state_of(request)
    response = client_for(requester).post(f"/portal/approvals/{approval.pk}/decide/", {
        f"a{approval.pk}-decision": "approved"})
    assert response.status_code == 403
    assert state_of(request) == before


def test_delegation_from_the_inbox(manager: Any, clock: Any) -> None:
    deputy = factories.person()
    response = client_for(manager).post("/portal/approvals/delegations/", {
        "delegate": deputy.username, "starts_on": "2026-03-02", "ends_on": "2026-03-06"})
    assert response.status_code == 302
    assert ApprovalDelegation.objects.get().delegate == deputy


def test_the_link_asks_to_confirm_then_decides_once(
    submit: Callable[..., ServiceRequest],
) -> None:
    request = submit()
    token = approval_link_token(request.approvals.get(), "approved")
    anonymous = Client()
    url = f"/portal/approvals/link/{token}/"

    shown = anonymous.get(url)
    assert shown.status_code == 200
    assert 'data-decision="approved"' in shown.content.decode()
    assert 'data-key="model">ThinkPad T14' in shown.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_APPROVAL  # a GET changes nothing

    decided = anonymous.post(url, {"comment": "同意"})
    assert decided.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_FULFILMENT

    before = state_of(request)
    again = anonymous.post(url, {"comment": "again"})
    assert again.status_code == 410
    assert 'data-code="link_used"' in again.content.decode()
    assert state_of(request) == before


def test_a_forged_link_says_so(submit: Callable[..., ServiceRequest]) -> None:
    request = submit()
    before = state_of(request)
    response = Client().post("/portal/approvals/link/forged:token/", {"comment": "x"})
    assert response.status_code == 400
    assert 'data-code="link_invalid"' in response.content.decode()
    assert state_of(request) == before


def test_one_of_two_approvals_changes_the_progress_stamp(
    submit: Callable[..., ServiceRequest], laptop: Any, requester: Any,
) -> None:
    from urllib.parse import unquote

    from steward.catalogue.services import request_item_revise
    from steward.fulfilment.services import approval_decide

    board = factories.team(members=(factories.person(), factories.person()))
    request_item_revise(actor=None, item=laptop, changes={
        "approval_kind": "group", "approval_team": board, "approval_mode": "all"})
    laptop.refresh_from_db()
    request = submit()
    client = client_for(requester)
    url = f"/portal/tickets/{request.number}/progress/"
    stamp = unquote(client.get(url, HTTP_HX_REQUEST="true").content.decode()
                    .split("stamp=")[1].split('"')[0])
    first = request.approvals.order_by("pk").first()
    assert first is not None
    approval_decide(actor=first.approver, approval=first, decision="approved")
    changed = client.get(url, {"stamp": stamp}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert changed.content.decode().count('<li data-state="approved">') == 1


def test_the_approver_downloads_the_requests_attachment_and_a_stranger_cannot(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    from steward.workitems.models import Attachment

    request = submit(uploads={"quote": SimpleUploadedFile("quote.pdf", b"%PDF quote")})
    attachment = Attachment.objects.get(object_id=request.pk)
    url = f"/portal/attachments/{attachment.pk}/"
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF quote"  # type: ignore[attr-defined]
    assert client_for(factories.person()).get(url).status_code == 404
    timeline = client_for(manager).get(f"/portal/tickets/{request.number}/timeline/",
                                       HTTP_HX_REQUEST="true")
    assert timeline.status_code == 200


def test_home_tells_the_approver_what_waits(
    submit: Callable[..., ServiceRequest], manager: Any,
) -> None:
    submit()
    submit()
    html = client_for(manager).get("/portal/").content.decode()
    assert 'href="/portal/approvals/"' in html
    assert html.count('class="alert alert-info"') == 1
