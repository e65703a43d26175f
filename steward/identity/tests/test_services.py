"""Organisation services: validation, permissions, audit entries, lock-out, tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from steward.audit.models import AuditEntry
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import services
from steward.identity.models import Person, Role
from steward.identity.permissions import roles_of
from steward.testing import factories

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_id=str(obj.pk), content_type__model=obj._meta.model_name
        ).values_list("action", flat=True)
    )


def test_update_records_before_and_after():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person = factories.person(phone="13800000000")
    services.person_update(actor=admin, person=person, changes={"phone": "13900000000"})
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="update").get()
    assert entry.changes == {"phone": ["13800000000", "13900000000"]}
    assert entry.actor_id == admin.pk


def test_update_without_change_writes_no_entry():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person = factories.person(phone="1")
    before = AuditEntry.objects.count()
    services.person_update(actor=admin, person=person, changes={"phone": "1"})
    assert AuditEntry.objects.count() == before


def test_people_edit_their_own_preferences_only():
    person = factories.person()
    services.person_update(actor=person, person=person, changes={"language": "en"})
    person.refresh_from_db()
    assert person.language == "en"
    with pytest.raises(ValidationFailed) as caught:
        services.person_update(actor=person, person=person, changes={"is_vip": True})
    assert caught.value.field == "is_vip"
    other = factories.person()
    with pytest.raises(NotPermitted):
        services.person_update(actor=person, person=other, changes={"language": "en"})
    other.refresh_from_db()
    assert other.language == "zh-hans"


def test_invalid_time_zone_is_a_field_error_and_nothing_changes():
    person = factories.person()
    with pytest.raises(ValidationFailed) as caught:
        services.person_update(actor=person, person=person, changes={"time_zone": "Mars/Base"})
    assert caught.value.field == "time_zone"
    assert Person.objects.get(pk=person.pk).time_zone == "Asia/Shanghai"


def test_invalid_channel_preference_is_refused():
    person = factories.person()
    with pytest.raises(ValidationFailed) as caught:
        services.person_update(
            actor=person, person=person, changes={"notification_channels": ["pigeon"]}
        )
    assert caught.value.field == "notification_channels"


def test_roles_replace_and_audit():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person = factories.person(roles=(Role.REQUESTER,))
    services.person_set_roles(actor=admin, person=person, roles=[Role.AGENT, Role.TEAM_LEAD])
    assert roles_of(Person.objects.get(pk=person.pk)) == {Role.AGENT, Role.TEAM_LEAD}
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="roles").last()
    assert entry.changes == {"roles": [["requester"], ["agent", "team_lead"]]}


def test_unknown_role_is_refused():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person = factories.person()
    with pytest.raises(ValidationFailed):
        services.person_set_roles(actor=admin, person=person, roles=["emperor"])
    assert roles_of(Person.objects.get(pk=person.pk)) == {Role.REQUESTER}


def test_duplicate_username_is_refused_case_insensitively():
    factories.person(username="wangfang")
    with pytest.raises(ValidationFailed) as caught:
        factories.person(username="WangFang")
    assert caught.value.field == "username"
    assert Person.objects.filter(username__iexact="wangfang").count() == 1


def test_password_rules_apply():
    with pytest.raises(ValidationFailed):
        factories.person(username="weak", password="12345678")
    with pytest.raises(ValidationFailed):
        factories.person(username="weak2", password="onlyletterslong")
    assert not Person.objects.filter(username__startswith="weak").exists()
    person = factories.person(username="strong", password="Store-0301-ok")
    assert person.check_password("Store-0301-ok")


def test_lockout_after_max_failures(settings):
    settings.STEWARD_LOGIN_MAX_FAILURES = 3
    person = factories.person(username="clerk")
    for _ in range(2):
        services.login_failed(username="clerk")
    person.refresh_from_db()
    assert not person.is_locked
    services.login_failed(username="clerk")
    person.refresh_from_db()
    assert person.is_locked
    assert person.locked_until > timezone.now() + timedelta(minutes=10)
    assert _actions(person).count("locked") == 1
    services.login_succeeded(person=person)
    person.refresh_from_db()
    assert (person.failed_logins, person.locked_until) == (0, None)


def test_unlock_needs_admin():
    person = factories.person()
    with pytest.raises(NotPermitted):
        services.person_unlock(actor=person, person=person)
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    services.person_unlock(actor=admin, person=person)
    assert "unlocked" in _actions(person)


def test_department_cannot_contain_itself():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    top = factories.department(code="TOP")
    child = factories.department(code="CHILD", parent=top)
    with pytest.raises(ValidationFailed) as caught:
        services.department_update(actor=admin, department=top, changes={"parent": child})
    assert caught.value.field == "parent"
    top.refresh_from_db()
    assert top.parent_id is None


def test_team_lead_is_always_a_member():
    lead = factories.person(roles=(Role.TEAM_LEAD,))
    member = factories.person(roles=(Role.AGENT,))
    team = factories.team(lead=lead, members=(member,))
    assert set(team.memberships.values_list("person_id", flat=True)) == {lead.pk, member.pk}


def test_deactivation_revokes_tokens():
    admin = factories.person(roles=(Role.ADMINISTRATOR,))
    person = factories.person()
    token, _ = services.token_create(actor=person, name="t")
    services.person_deactivate(actor=admin, person=person)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not Person.objects.get(pk=person.pk).is_active
    with pytest.raises(ValidationFailed):
        services.person_deactivate(actor=admin, person=admin)


def test_token_expiry_must_be_future():
    person = factories.person()
    with pytest.raises(ValidationFailed) as caught:
        services.token_create(actor=person, name="t", expires_at=timezone.now())
    assert caught.value.field == "expires_at"


def test_expired_token_does_not_authenticate():
    person = factories.person()
    token, secret = services.token_create(
        actor=person, name="t", expires_at=timezone.now() + timedelta(minutes=1)
    )
    assert services.token_authenticate(secret) is not None
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.token_authenticate(secret) is None
    assert services.token_authenticate("stw_nonsense") is None
