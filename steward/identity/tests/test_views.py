"""Sign-in, lock-out, CSRF, security headers, language switch and personal settings pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.console.tests.html_checks import unlabelled_controls
from steward.identity.models import Person, Role
from steward.testing import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Blue-Lantern-2024"
LOGIN = "/login/"


@pytest.fixture(autouse=True)
def _lockout_policy(settings):
    settings.STEWARD_LOGIN_MAX_FAILURES = 5
    settings.STEWARD_LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def clerk():
    return factories.person(username="clerk", password=PASSWORD)


@pytest.fixture
def admin():
    return factories.person(username="admin", roles=(Role.ADMINISTRATOR,), password=PASSWORD)


def _fail(client: Client, username: str, times: int) -> list[int]:
    return [
        client.post(LOGIN, {"username": username, "password": "wrong-password-1"}).status_code
        for _ in range(times)
    ]


def test_login_with_the_right_password_signs_in_and_goes_home(client, clerk):
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(clerk.pk)


def test_login_follows_a_safe_next_and_ignores_a_foreign_one(client, clerk):
    inside = client.post(LOGIN, {"username": "clerk", "password": PASSWORD, "next": "/portal/"})
    client.logout()
    outside = client.post(
        LOGIN, {"username": "clerk", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert inside["Location"] == "/portal/"
    assert outside["Location"] == reverse("home")


def test_wrong_password_is_401_with_an_announced_error(client, clerk):
    response = client.post(LOGIN, {"username": "clerk", "password": "wrong-password-1"})

    assert response.status_code == 401
    assert '<div class="form-errors" role="alert">' in response.content.decode()
    assert "_auth_user_id" not in client.session
    clerk.refresh_from_db()
    assert clerk.failed_logins == 1


def test_five_failures_lock_the_account_and_the_right_password_is_refused(client, clerk):
    statuses = _fail(client, "clerk", 5)

    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert statuses == [401] * 5
    assert response.status_code == 429
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="locked", object_id=str(clerk.pk)).count() == 1


def test_the_lock_expires(client, clerk, monkeypatch):
    _fail(client, "clerk", 5)
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    clerk.refresh_from_db()
    assert (clerk.failed_logins, clerk.locked_until) == (0, None)


def test_an_administrator_unlocks_a_locked_account(client, clerk, admin):
    _fail(client, "clerk", 5)
    admin_client = Client()
    admin_client.force_login(admin)

    unlocked = admin_client.post(reverse("console:person_unlock", args=[clerk.pk]))
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert unlocked.status_code == 302
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="unlocked", object_id=str(clerk.pk)).count() == 1


def test_a_non_administrator_cannot_unlock(client, clerk):
    _fail(client, "clerk", 5)
    agent = factories.person(roles=(Role.AGENT,))
    agent_client = Client()
    agent_client.force_login(agent)

    response = agent_client.post(reverse("console:person_unlock", args=[clerk.pk]))

    assert response.status_code == 403
    clerk.refresh_from_db()
    assert clerk.is_locked
    assert not AuditEntry.objects.filter(action="unlocked").exists()


def test_login_post_without_csrf_token_is_refused(clerk):
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "403_csrf.html"
    assert "_auth_user_id" not in client.session
    clerk.refresh_from_db()
    assert clerk.failed_logins == 0


def test_login_post_with_the_csrf_token_works(clerk):
    client = Client(enforce_csrf_checks=True)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value

    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD,
                                   "csrfmiddlewaretoken": token})

    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/login/", "/portal/", "/console/", "/console/people/"])
def test_pages_carry_the_security_headers(client, path):
    staff = factories.person(roles=(Role.AGENT,))
    client.force_login(staff)

    response = client.get(path)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client):
    staff = factories.person(roles=(Role.ADMINISTRATOR,))
    client.force_login(staff)

    html = client.get(reverse("console:person", args=[staff.pk])).content.decode()

    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html
    assert " onclick=" not in html
    assert "javascript:" not in html


def test_the_default_language_is_simplified_chinese(client):
    response = client.get(LOGIN)

    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in response.content.decode()


def test_the_language_switch_changes_the_page_language(client):
    switched = client.post("/language/", {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)

    assert switched.status_code == 302
    assert switched["Location"] == LOGIN
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_the_language_switch_is_saved_for_a_signed_in_person(client, clerk):
    client.force_login(clerk)

    client.post("/language/", {"language": "en", "next": "/portal/"})

    clerk.refresh_from_db()
    assert clerk.language == "en"
    assert client.get("/portal/")["Content-Language"] == "en"


def test_an_unknown_language_changes_nothing(client):
    client.post("/language/", {"language": "fr"})

    assert client.get(LOGIN)["Content-Language"] == "zh-hans"


def test_the_login_page_form_controls_are_labelled(client):
    html = client.get(LOGIN).content.decode()

    assert unlabelled_controls(html) == []
    assert 'autocomplete="current-password"' in html


def test_the_settings_page_shows_the_password_rules_and_labels_every_control(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("identity:profile"))
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="id_new_password_helptext"' in html
    assert 'aria-describedby="id_new_password_helptext"' in html
    assert "<li>" in html.split('id="id_new_password_helptext"')[1].split("</div>")[0]
    assert unlabelled_controls(html) == []


def test_a_requester_sees_settings_in_the_portal_look_and_staff_in_the_console_look(client, clerk):
    agent = factories.person(roles=(Role.AGENT,))
    client.force_login(clerk)
    portal_html = client.get(reverse("identity:profile")).content.decode()
    client.force_login(agent)
    console_html = client.get(reverse("identity:profile")).content.decode()

    assert 'class="face-portal"' in portal_html
    assert 'class="face-console"' in console_html


def test_a_password_breaking_the_rules_is_refused_with_422(client, clerk):
    client.force_login(clerk)
    before = Person.objects.get(pk=clerk.pk).password

    response = client.post(reverse("identity:password"),
                           {"new_password": "short1", "new_password_again": "short1"})

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert Person.objects.get(pk=clerk.pk).password == before
    assert not AuditEntry.objects.filter(action="password_changed").exists()


def test_mismatched_new_passwords_are_refused(client, clerk):
    client.force_login(clerk)

    response = client.post(reverse("identity:password"), {
        "new_password": "Green-Meadow-2025", "new_password_again": "Green-Meadow-2026",
    })

    assert response.status_code == 422
    assert not AuditEntry.objects.filter(action="password_changed").exists()


def test_a_good_new_password_is_set_and_the_session_survives(client, clerk):
    client.force_login(clerk)

    response = client.post(reverse("identity:password"), {
        "new_password": "Green-Meadow-2025", "new_password_again": "Green-Meadow-2025",
    })

    assert response.status_code == 302
    assert client.get(reverse("identity:profile")).status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password("Green-Meadow-2025")


def test_preferences_with_an_unknown_time_zone_are_refused_with_422(client, clerk):
    client.force_login(clerk)

    response = client.post(reverse("identity:profile"),
                           {"language": "zh-hans", "time_zone": "Mars/Olympus"})

    assert response.status_code == 422
    clerk.refresh_from_db()
    assert clerk.time_zone == "Asia/Shanghai"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/console/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
