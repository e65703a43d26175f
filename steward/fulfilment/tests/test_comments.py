"""The conversation on a service request: public messages, work notes hidden from the
requester, refusals, the message to the requester, and the pages and API that show them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from steward.core import events as core_events
from steward.core.errors import InvalidTransition, NotPermitted, ValidationFailed
from steward.fulfilment import events as request_events
from steward.fulfilment.models import ServiceRequest
from steward.fulfilment.selectors import comments_for
from steward.fulfilment.services import request_cancel, request_comment
from steward.fulfilment.tests.conftest import state_of
from steward.fulfilment.tests.test_portal import client_for
from steward.notifications import handlers_requests
from steward.notifications.models import Notification
from steward.testing import factories

pytestmark = pytest.mark.django_db


def test_desk_message_reaches_the_requester_and_work_notes_stay_inside(
    submit: Callable[..., ServiceRequest], agent: Any, requester: Any,
    isolated_subscribers: None,
) -> None:
    core_events.subscribe(request_events.RequestCommented,
                          handlers_requests.on_request_commented)
    request = submit()
    request_comment(actor=agent, request=request, body="电脑明天到货", public=True)
    request_comment(actor=agent, request=request, body="供应商延迟", public=False)
    request_comment(actor=requester, request=request, body="好的，谢谢")

    assert [c.body for c in comments_for(user=requester, request=request)] == [
        "电脑明天到货", "好的，谢谢"]
    assert [c.body for c in comments_for(user=agent, request=request)] == [
        "电脑明天到货", "供应商延迟", "好的，谢谢"]
    sent = Notification.objects.get(event="request.replied")
    assert (sent.recipient, sent.subject) == (requester, "[REQ-000001] 王工 给您留言：新笔记本电脑")
    assert "电脑明天到货" in sent.body


def test_requester_cannot_write_work_notes_and_strangers_cannot_write(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    before = state_of(request)
    with pytest.raises(NotPermitted):
        request_comment(actor=requester, request=request, body="x", public=False)
    with pytest.raises(NotPermitted):
        request_comment(actor=factories.person(), request=request, body="x")
    with pytest.raises(ValidationFailed):
        request_comment(actor=requester, request=request, body="  ")
    assert state_of(request) == before
    assert request.comments.count() == 0


def test_an_ended_request_takes_no_messages(
    submit: Callable[..., ServiceRequest], requester: Any,
) -> None:
    request = submit()
    request_cancel(actor=requester, request=request, reason="不要了")
    with pytest.raises(InvalidTransition):
        request_comment(actor=requester, request=request, body="还在吗")
    assert request.comments.count() == 0


def test_portal_message_and_console_work_note(
    submit: Callable[..., ServiceRequest], requester: Any, agent: Any,
) -> None:
    request = submit()
    sent = client_for(requester).post(f"/portal/tickets/{request.number}/message/",
                                      {"reply-body": "什么时候到？"})
    assert sent.status_code == 302
    note = client_for(agent).post(f"/console/requests/{request.number}/comment/",
                                  {"body": "已催供应商"})
    assert note.status_code == 302
    assert list(request.comments.values_list("body", "public")) == [
        ("什么时候到？", True), ("已催供应商", False)]
    page = client_for(requester).get(f"/portal/tickets/{request.number}/").content.decode()
    assert "什么时候到？" in page
    assert "已催供应商" not in page
    console = client_for(agent).get(f"/console/requests/{request.number}/").content.decode()
    assert 'data-public="0"' in console


def test_comments_through_the_api(
    submit: Callable[..., ServiceRequest], requester: Any, agent: Any,
) -> None:
    from steward.incidents.tests.test_api import conforms, post

    request = submit()
    url = f"/api/v1/requests/{request.number}/comments"
    created = post(client_for(agent), url, {"body": "内部备注", "public": False})
    assert created.status_code == 201
    assert conforms(created, "requests_comment")["public"] is False
    assert conforms(client_for(requester).get(url), "requests_comments") == []
