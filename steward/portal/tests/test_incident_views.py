"""Portal service desk: report a problem, follow it live, reply, confirm, reopen, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.console.tests.html_checks import unlabelled_controls
from steward.incidents import services
from steward.incidents.models import Incident
from steward.incidents.tests.conftest import (  # noqa: F401 - fixtures
    agent,
    agreement,
    clock,
    desk,
    incident_in,
    lead,
    raise_incident,
    requester,
    service,
    state_of,
)
from steward.sla.models import SlaClock
from steward.sla.tests.conftest import china  # noqa: F401 - fixture
from steward.testing import factories
from steward.workitems.models import Attachment

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
    }


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _page(incident: Incident) -> str:
    return reverse("portal:record", args=[incident.number])


def test_the_service_page_offers_to_report_a_problem(requester, service, agreement):
    html = _client(requester).get(reverse("portal:service", args=[service.code])).content.decode()

    assert reverse("portal:report_service", args=[service.code]) in html


def test_the_report_form_labels_every_field_and_shows_the_promise(requester, service, agreement):
    response = _client(requester).get(reverse("portal:report_service", args=[service.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert unlabelled_controls(html) == []
    assert 'enctype="multipart/form-data"' in html
    assert 'class="incident-promise' in html


def test_the_report_page_without_a_service_offers_recent_services(requester, raise_incident):
    raise_incident()

    html = _client(requester).get(reverse("portal:report")).content.decode()

    assert "门店收银" in html
    assert unlabelled_controls(html) == []


def test_reporting_acknowledges_with_the_number_and_the_promised_response_time(
    requester, service, agreement, clock
):
    response = _client(requester).post(
        reverse("portal:report_service", args=[service.code]),
        {"title": "收银机无法开机", "description": "按电源键没反应", "urgency": "1"},
    )

    incident = Incident.objects.get()
    due = SlaClock.objects.get(record_number=incident.number, kind="first_response").due_at
    expected = timezone.localtime(due).strftime("%H:%M")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert response["Location"] == _page(incident)
    assert incident.number in message
    assert expected in message
    assert (incident.service_id, incident.requester_id, incident.channel) == (
        service.pk, requester.pk, "portal")


def test_a_photo_sent_with_the_report_is_attached(requester, service, agreement):
    photo = SimpleUploadedFile("screen.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")

    _client(requester).post(reverse("portal:report_service", args=[service.code]),
                            {"title": "屏幕裂了", "urgency": "3", "file": photo})

    assert Attachment.objects.get().filename == "screen.jpg"


def test_a_report_without_a_title_is_a_422_and_raises_nothing(requester, service, agreement):
    response = _client(requester).post(
        reverse("portal:report_service", args=[service.code]), {"title": "", "urgency": "3"}
    )

    assert response.status_code == 422
    assert 'id="id_title_error"' in response.content.decode()
    assert Incident.objects.count() == 0


def test_the_incident_page_shows_state_promise_and_public_replies_only(
    requester, agent, raise_incident
):
    incident = raise_incident()
    services.incident_comment(actor=agent, incident=incident, body="我们马上来", public=True)
    services.incident_comment(actor=agent, incident=incident, body="怀疑主板坏了", public=False)

    response = _client(requester).get(_page(incident))

    html = response.content.decode()
    assert response.status_code == 200
    assert "我们马上来" in html
    assert "怀疑主板坏了" not in html
    assert 'id="incident-live"' in html
    assert 'hx-trigger="every 5s"' in html
    assert 'id="cancel-form"' in html
    assert 'id="reopen-form"' not in html
    assert unlabelled_controls(html) == []


def test_another_requester_gets_404(raise_incident):
    incident = raise_incident()
    stranger = factories.person()

    assert _client(stranger).get(_page(incident)).status_code == 404
    assert _client(stranger).post(
        reverse("portal:incident_reply", args=[incident.number]), {"reply-body": "hi"}
    ).status_code == 404


def test_the_polled_fragment_is_204_until_something_changes(requester, agent, raise_incident):
    incident = raise_incident()
    client = _client(requester)
    url = reverse("portal:incident_live", args=[incident.number])
    first = client.get(url, **HTMX)
    stamp = first.content.decode().split("stamp=")[1].split('"')[0]

    unchanged = client.get(url, {"stamp": stamp.replace("%2E", ".")}, **HTMX)
    services.incident_comment(actor=agent, incident=incident, body="工程师已出发", public=True)
    changed = client.get(url, {"stamp": stamp.replace("%2E", ".")}, **HTMX)

    assert first.status_code == 200
    assert unchanged.status_code == 204
    assert changed.status_code == 200
    assert "工程师已出发" in changed.content.decode()
    assert "<html" not in changed.content.decode()


def test_the_polled_fragment_without_htmx_redirects_to_the_page(requester, raise_incident):
    incident = raise_incident()

    response = _client(requester).get(reverse("portal:incident_live", args=[incident.number]))

    assert response.status_code == 302


def test_a_reply_by_htmx_returns_the_live_fragment(requester, raise_incident):
    incident = raise_incident()

    response = _client(requester).post(reverse("portal:incident_reply", args=[incident.number]),
                                       {"reply-body": "还是开不了机"}, **HTMX)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="incident-live"')
    assert incident.comments.get().body == "还是开不了机"


def test_an_empty_reply_is_a_422_on_the_form(requester, raise_incident):
    incident = raise_incident()

    response = _client(requester).post(reverse("portal:incident_reply", args=[incident.number]),
                                       {"reply-body": "  "}, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#reply-form"
    assert incident.comments.count() == 0


def test_the_requester_confirms_a_resolution_and_the_incident_closes(requester, incident_in):
    incident = incident_in("resolved")
    page = _client(requester).get(_page(incident)).content.decode()

    response = _client(requester).post(reverse("portal:incident_confirm", args=[incident.number]))

    incident.refresh_from_db()
    assert 'id="confirm-form"' in page
    assert response.status_code == 302
    assert incident.status == "closed"


def test_confirming_an_unresolved_incident_is_refused(requester, raise_incident):
    incident = raise_incident()
    before = state_of(incident)

    response = _client(requester).post(reverse("portal:incident_confirm", args=[incident.number]))

    assert response.status_code == 422
    assert state_of(incident) == before


def test_reopen_needs_a_reason(requester, incident_in):
    incident = incident_in("resolved")
    before = state_of(incident)

    response = _client(requester).post(reverse("portal:incident_reopen", args=[incident.number]),
                                       {"reopen-reason": ""}, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#reopen-form"
    assert state_of(incident) == before


def test_reopen_with_a_reason_within_the_window(requester, incident_in):
    incident = incident_in("resolved")

    _client(requester).post(reverse("portal:incident_reopen", args=[incident.number]),
                            {"reopen-reason": "又坏了"})

    incident.refresh_from_db()
    assert incident.status == "in_progress"


def test_reopen_after_the_window_is_refused_with_the_reason(requester, incident_in, clock):
    incident = incident_in("resolved")
    clock.advance(days=60)
    before = state_of(incident)

    response = _client(requester).post(reverse("portal:incident_reopen", args=[incident.number]),
                                       {"reopen-reason": "又坏了"})

    assert response.status_code == 422
    assert 'class="form-errors"' in response.content.decode()
    assert state_of(incident) == before


def test_the_requester_cancels_their_open_incident(requester, raise_incident):
    incident = raise_incident()

    _client(requester).post(reverse("portal:incident_cancel", args=[incident.number]),
                            {"cancel-reason": "自己修好了"})

    incident.refresh_from_db()
    assert incident.status == "cancelled"


def test_my_tickets_show_state_assignee_and_the_promised_fix_time(
    requester, agent, raise_incident
):
    incident = services.incident_start(actor=agent, incident=raise_incident())

    html = _client(requester).get(reverse("portal:records")).content.decode()

    assert incident.number in html
    assert "王工" in html
    assert "处理中" in html


def test_a_closed_incident_is_no_longer_polled(requester, incident_in):
    incident = incident_in("closed")

    html = _client(requester).get(_page(incident)).content.decode()

    assert 'id="incident-live"' in html
    assert "every 5s" not in html


def test_the_requester_page_and_its_poll_have_a_capped_number_of_queries(
    requester, agent, raise_incident, django_assert_max_num_queries
):
    incident = raise_incident()
    for n in range(5):
        services.incident_comment(actor=agent, incident=incident, body=f"回复 {n}", public=True)
    client = _client(requester)
    client.get(_page(incident))  # warm caches
    live = reverse("portal:incident_live", args=[incident.number])

    with django_assert_max_num_queries(16):
        page = client.get(_page(incident))
    stamp = page.content.decode().split("stamp=")[1].split('"')[0].replace("%2E", ".")
    with django_assert_max_num_queries(6):
        unchanged = client.get(live, {"stamp": stamp}, **HTMX)
    with django_assert_max_num_queries(15):
        changed = client.get(live, {"stamp": "0"}, **HTMX)

    assert page.status_code == 200
    assert unchanged.status_code == 204
    assert changed.status_code == 200


def test_reopen_is_not_offered_after_the_window(requester, incident_in, clock):
    incident = incident_in("resolved")
    client = _client(requester)
    within = client.get(_page(incident)).content.decode()
    clock.advance(days=60)

    after = _client(requester).get(_page(incident)).content.decode()  # a fresh session

    assert 'id="reopen-form"' in within
    assert 'id="reopen-form"' not in after
    assert 'id="confirm-form"' in after


def test_the_requester_attaches_a_file_to_their_incident(requester, raise_incident):
    incident = raise_incident()
    photo = SimpleUploadedFile("receipt.png", b"\x89PNG fake", content_type="image/png")

    response = _client(requester).post(
        reverse("portal:record_attachments", args=[incident.number]), {"file": photo}, **HTMX
    )

    assert response.status_code == 200
    assert "receipt.png" in response.content.decode()
    assert Attachment.objects.get().object_id == incident.pk


@pytest.fixture
def store_kit(requester, service):
    """The requester's store: a till the service runs on, the router it connects through, a
    label printer the service does not use; and another store's till."""
    from steward.cmdb import services as cmdb
    from steward.identity.models import Role

    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    service_ci = cmdb.ci_for_service(
        actor=admin, service=service, ci_class=factories.ci_class(code="service", name="服务")
    )
    pos = factories.ci_class(code="pos_terminal", name="收银终端")
    till = factories.ci(name="收银机 1号", ci_class=pos, site=requester.site)
    router = factories.ci(name="门店路由器", site=requester.site)
    printer = factories.ci(name="标签打印机", site=requester.site)
    other = factories.ci(name="北京店收银机", ci_class=pos, site=factories.site(name="北京店"))
    for item in (till, other):
        factories.relation(item, "used_by", service_ci)
    factories.relation(till, "connects_to", router)
    return {"till": till, "router": router, "printer": printer, "other": other}


def _offered(html: str, kit: dict[str, Any]) -> set[str]:
    return {name for name, ci in kit.items() if f'value="{ci.ci_id}"' in html}


def test_the_report_form_offers_what_is_at_hand_for_the_service(requester, service, store_kit):
    page = _client(requester).get(reverse("portal:report_service", args=[service.code]))

    html = page.content.decode()
    assert _offered(html, store_kit) == {"till", "router"}
    assert unlabelled_controls(html) == []


def test_without_a_service_everything_at_the_store_is_offered(requester, store_kit):
    html = _client(requester).get(reverse("portal:report")).content.decode()

    assert _offered(html, store_kit) == {"till", "router", "printer"}


def test_the_chosen_device_is_the_incidents_configuration_item(requester, service, agreement,
                                                                store_kit):
    response = _client(requester).post(
        reverse("portal:report_service", args=[service.code]),
        {"title": "1号收银机黑屏", "urgency": 2, "ci": store_kit["till"].ci_id},
    )

    assert response.status_code == 302
    assert Incident.objects.get().ci == store_kit["till"]


def test_a_device_not_offered_is_refused_and_nothing_is_raised(requester, service, store_kit):
    response = _client(requester).post(
        reverse("portal:report_service", args=[service.code]),
        {"title": "收银机黑屏", "urgency": 2, "ci": store_kit["other"].ci_id},
    )

    assert response.status_code == 422
    assert Incident.objects.count() == 0


def test_nothing_at_hand_means_no_device_question(requester, service, agreement):
    html = _client(requester).get(
        reverse("portal:report_service", args=[service.code])
    ).content.decode()

    assert 'name="ci"' not in html
