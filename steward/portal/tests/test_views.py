"""Portal pages: home, my tickets, a ticket's page with timeline and attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.audit.models import AuditEntry
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Person, Role
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


@pytest.fixture
def clerk():
    return factories.person(username="clerk", name="店员小王", name_en="Wang")


@pytest.fixture
def other():
    return factories.person(username="other", name="店员小李")


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_an_htmx_request_after_the_session_expired_reloads_the_window_to_sign_in(client):
    response = client.get("/portal/tickets/MEM-000001/timeline/", HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/portal/tickets/MEM-000001/")

    assert response["HX-Redirect"] == "/login/?next=/portal/tickets/MEM-000001/"


def test_home_greets_the_person_and_lists_their_recent_tickets(clerk, other):
    mine = factories.memo(requester=clerk, title="打印机卡纸")
    theirs = factories.memo(requester=other, title="网络断了")

    response = _client(clerk).get("/portal/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "店员小王" in html
    assert mine.number in html
    assert theirs.number not in html
    assert 'class="face-portal"' in html
    assert 'name="viewport"' in html


def test_home_uses_the_english_name_in_english(clerk):
    client = _client(clerk)
    client.post("/language/", {"language": "en"})

    assert "Wang" in client.get("/portal/").content.decode()


def test_my_tickets_lists_only_what_i_raised_newest_first(clerk, other):
    first = factories.memo(requester=clerk, title="第一")
    second = factories.memo(requester=clerk, title="第二")
    factories.memo(requester=other)

    response = _client(clerk).get(reverse("portal:records"))

    assert [row["record"].number for row in response.context["records"]] == [
        second.number, first.number,
    ]
    assert response.context["has_more"] is False


def test_my_tickets_pages_through_many_tickets(clerk):
    for _ in range(25):
        factories.memo(requester=clerk)
    client = _client(clerk)

    first = client.get(reverse("portal:records"))
    second = client.get(reverse("portal:records"), {"page": 2})

    assert (len(first.context["records"]), first.context["has_more"]) == (20, True)
    assert (len(second.context["records"]), second.context["has_more"]) == (5, False)


def test_a_ticket_of_someone_else_is_404(clerk, other):
    theirs = factories.memo(requester=other)

    response = _client(clerk).get(reverse("portal:record", args=[theirs.number]))

    assert response.status_code == 404


def test_my_ticket_shows_its_timeline(clerk):
    mine = factories.memo(requester=clerk, title="打印机卡纸")

    response = _client(clerk).get(reverse("portal:record", args=[mine.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "打印机卡纸" in html
    assert "timeline-entry" in html


def test_the_timeline_partial_answers_htmx(clerk):
    mine = factories.memo(requester=clerk)

    response = _client(clerk).get(reverse("portal:record_timeline", args=[mine.number]), **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "timeline-entry" in response.content.decode()


def test_a_requester_attaches_a_photo_and_downloads_it(clerk):
    mine = factories.memo(requester=clerk)
    client = _client(clerk)

    uploaded = client.post(reverse("portal:record_attachments", args=[mine.number]),
                           {"file": SimpleUploadedFile("收银机.jpg", b"jpeg", "image/jpeg")})
    attachment = Attachment.objects.get()
    downloaded = client.get(reverse("portal:attachment", args=[attachment.pk]))

    assert uploaded.status_code == 302
    assert b"".join(downloaded.streaming_content) == b"jpeg"
    entry = AuditEntry.objects.get(action="attachment_added")
    assert entry.source == "portal"


@pytest.mark.parametrize("name", ["setup.exe", "报销单.PDF.exe", "run.bat. ", "macro.vbs"])
def test_programs_and_scripts_are_refused_and_nothing_is_stored(clerk, name, tmp_path):
    mine = factories.memo(requester=clerk)

    response = _client(clerk).post(reverse("portal:record_attachments", args=[mine.number]),
                                   {"file": SimpleUploadedFile(name, b"MZ", "application/x")})

    extension = name.strip().rstrip(". ").rsplit(".", 1)[-1].lower()
    assert response.status_code == 422
    assert f".{extension}" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))


def test_the_blocked_types_are_a_setting(clerk, settings):
    settings.STEWARD_ATTACHMENT_BLOCKED_EXTENSIONS = frozenset({"zip"})
    mine = factories.memo(requester=clerk)
    client = _client(clerk)
    url = reverse("portal:record_attachments", args=[mine.number])

    refused = client.post(url, {"file": SimpleUploadedFile("logs.zip", b"PK", "application/zip")})
    taken = client.post(url, {"file": SimpleUploadedFile("tool.exe", b"MZ", "application/x")})

    assert (refused.status_code, taken.status_code) == (422, 302)
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["tool.exe"]


def test_attaching_to_someone_elses_ticket_is_404_and_writes_nothing(clerk, other):
    theirs = factories.memo(requester=other)

    response = _client(clerk).post(reverse("portal:record_attachments", args=[theirs.number]),
                                   {"file": SimpleUploadedFile("x.txt", b"x", "text/plain")})

    assert response.status_code == 404
    assert Attachment.objects.count() == 0


def test_the_portal_links_to_the_console_only_for_staff(clerk):
    agent = factories.person(roles=(Role.AGENT,))

    clerk_html = _client(clerk).get("/portal/").content.decode()
    agent_html = _client(agent).get("/portal/").content.decode()

    assert reverse("console:overview") not in clerk_html
    assert reverse("console:overview") in agent_html


def test_every_form_control_on_the_portal_pages_has_a_label(clerk):
    mine = factories.memo(requester=clerk)
    client = _client(clerk)
    pages = ["/portal/", reverse("portal:records"), reverse("portal:record", args=[mine.number]),
             reverse("identity:profile")]

    found = {page: unlabelled_controls(client.get(page).content.decode()) for page in pages}

    assert found == {page: [] for page in pages}
