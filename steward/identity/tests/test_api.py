"""API wiring: tokens, scopes, error bodies, pagination, rate limits, OpenAPI document."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from ninja import Schema
from openapi_spec_validator import validate

from steward.audit.models import AuditEntry
from steward.config.api import TokenThrottle, api
from steward.identity.models import ApiToken, Person, Role
from steward.identity.services import token_create
from steward.testing import factories

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def admin() -> Person:
    return factories.person(roles=(Role.ADMINISTRATOR,), username="admin")


def test_openapi_document_is_valid(client: Client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/records/{number}" in document["paths"]
    assert {"TokenAuth", "SessionAuth"} <= set(document["components"]["securitySchemes"])


def test_every_api_schema_has_its_own_name():
    """The OpenAPI document names components by class name: two schema classes of the same
    name (say ``CommentOut`` of incidents and of requests) would silently share one entry,
    and one endpoint would be documented with the other's shape."""
    import steward.config.api  # noqa: F401 - mounts every router, importing every schema

    def subclasses(cls: type) -> list[type]:
        found: list[type] = []
        sub: type
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = {c for c in subclasses(Schema) if c.__module__.startswith("steward.")}
    by_name: dict[str, set[str]] = {}
    for cls in ours:
        by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {n: m for n, m in by_name.items() if len(m) > 1} == {}


def test_interactive_docs_are_served(client: Client):
    assert client.get("/api/v1/docs").status_code == 200


def test_unauthenticated_request_gets_401_with_code(client: Client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required.", "code": "not_authenticated"}


def test_token_is_stored_hashed_and_authenticates(client: Client, admin: Person):
    token, secret = token_create(actor=admin, name="ci", scope="read")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix)
    assert stored.digest == ApiToken.hash_secret(secret)
    assert stored.last_used_at is None
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "admin"
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_read_token_cannot_write(client: Client, admin: Person):
    _, secret = token_create(actor=admin, name="ro", scope="read")
    response = client.post(
        "/api/v1/tokens", {"name": "x"}, content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    assert ApiToken.objects.count() == 1


def test_read_write_token_can_write_without_csrf(admin: Person):
    _, secret = token_create(actor=admin, name="rw", scope="read_write")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/tokens",
        {"name": "second", "scope": "read"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201
    assert response.json()["secret"].startswith("stw_")


def test_session_writes_need_csrf(admin: Person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 0


def test_revoked_token_is_refused_and_revocation_is_audited(client: Client, admin: Person):
    token, secret = token_create(actor=admin, name="old", scope="read_write")
    client.force_login(admin)
    response = client.post(f"/api/v1/tokens/{token.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401
    assert AuditEntry.objects.filter(action="revoke", object_id=str(token.pk)).count() == 1


def test_someone_elses_token_is_not_found(client: Client, admin: Person):
    other = factories.person()
    token, _ = token_create(actor=admin, name="mine")
    client.force_login(other)
    response = client.post(f"/api/v1/tokens/{token.pk}/revoke")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_validation_error_names_field_and_reason(client: Client, admin: Person):
    client.force_login(admin)
    response = client.post(
        "/api/v1/people", {"username": "bad name!", "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == "username"
    assert "username" in body["detail"]
    assert not Person.objects.filter(name="x").exists()


def test_business_rule_error_is_422_and_writes_nothing(client: Client, admin: Person):
    client.force_login(admin)
    before = AuditEntry.objects.count()
    response = client.post(
        "/api/v1/people",
        {"username": "newbie", "name": "新人", "password": "short"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "password"
    assert not Person.objects.filter(username="newbie").exists()
    assert AuditEntry.objects.count() == before


def test_non_admin_cannot_create_people(client: Client):
    agent = factories.person(roles=(Role.AGENT,))
    client.force_login(agent)
    response = client.post(
        "/api/v1/people", {"username": "newbie", "name": "新人"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert not Person.objects.filter(username="newbie").exists()


def test_admin_creates_person_with_roles_and_audit(client: Client, admin: Person):
    dept = factories.department(code="FIN")
    client.force_login(admin)
    response = client.post(
        "/api/v1/people",
        {
            "username": "liwei",
            "name": "李伟",
            "name_en": "Wei Li",
            "email": "liwei@example.com",
            "department_id": dept.pk,
            "roles": ["requester", "finance"],
            "password": "Ledger-2026x",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["roles"] == ["finance", "requester"]
    assert body["department_id"] == dept.pk
    created = Person.objects.get(username="liwei")
    assert created.check_password("Ledger-2026x")
    actions = list(
        AuditEntry.objects.filter(
            object_id=str(created.pk), content_type__model="person"
        ).values_list("action", "actor_id", "source")
    )
    assert actions == [("create", admin.pk, "api"), ("roles", admin.pk, "api")]


def test_unknown_reference_is_a_field_error(client: Client, admin: Person):
    client.force_login(admin)
    response = client.post(
        "/api/v1/people",
        {"username": "x1", "name": "x", "department_id": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["field"] == "department_id"


def test_keyset_pagination_walks_every_person_once(client: Client, admin: Person):
    for n in range(7):
        factories.person(username=f"page{n}")
    client.force_login(admin)
    seen: list[str] = []
    url: str | None = "/api/v1/people?page_size=3"
    pages = 0
    while url:
        body = client.get(url).json()
        seen.extend(item["username"] for item in body["results"])
        url = body["next"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(Person.objects.values_list("username", flat=True))
    assert len(seen) == len(set(seen)) == 8


def test_requester_sees_only_themself_in_directory(client: Client):
    requester = factories.person()
    factories.person()
    client.force_login(requester)
    body = client.get("/api/v1/people").json()
    assert [p["id"] for p in body["results"]] == [requester.pk]
    other = Person.objects.exclude(pk=requester.pk).first()
    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404


@pytest.fixture
def tight_limits():
    cache.clear()
    saved = {}
    for throttle in api.throttle:
        saved[throttle] = (throttle.num_requests, throttle.duration)
        throttle.num_requests, throttle.duration = (
            (3, 60) if isinstance(throttle, TokenThrottle) else (8, 60)
        )
    yield
    for throttle, (num, duration) in saved.items():
        throttle.num_requests, throttle.duration = num, duration
    cache.clear()


def _statuses(client: Client, count: int, **extra: str) -> list[int]:
    return [client.get("/api/v1/me", **extra).status_code for _ in range(count)]


def test_rate_limit_per_token(tight_limits, admin: Person):
    _, first = token_create(actor=admin, name="a")
    _, second = token_create(actor=admin, name="b")
    client = Client()
    assert _statuses(client, 4, **bearer(first)) == [200, 200, 200, 429]
    limited = client.get("/api/v1/me", **bearer(first))
    assert limited.json() == {"detail": "Too many requests; slow down.", "code": "rate_limited"}
    assert int(limited["Retry-After"]) > 0
    assert client.get("/api/v1/me", **bearer(second)).status_code == 200


def test_rate_limit_per_client_address(tight_limits, admin: Person):
    client = Client()
    client.force_login(admin)
    assert _statuses(client, 9, REMOTE_ADDR="10.1.1.1") == [200] * 8 + [429]
    assert client.get("/api/v1/me", REMOTE_ADDR="10.1.1.2").status_code == 200


def test_token_scope_choices_in_create(client: Client, admin: Person):
    client.force_login(admin)
    response = client.post(
        "/api/v1/tokens", {"name": "x", "scope": "root"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "scope"
