"""People: create, update, roles, password, deactivation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import NotPermitted, ValidationFailed
from steward.identity import permissions
from steward.identity.models import Person, Role, RoleGrant
from steward.identity.services.common import audited_create, audited_update, require_admin

PERSON_FIELDS = (
    "username",
    "name",
    "name_en",
    "email",
    "phone",
    "language",
    "time_zone",
    "wecom_userid",
    "dingtalk_userid",
    "feishu_userid",
    "manager",
    "department",
    "site",
    "is_vip",
    "notification_channels",
    "is_active",
)
SELF_EDITABLE = ("name_en", "phone", "language", "time_zone", "notification_channels")


def _check_password(password: str, person: Person) -> None:
    try:
        validate_password(password, person)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from None


def person_create(
    *,
    actor: Any,
    username: str,
    name: str,
    email: str = "",
    password: str | None = None,
    roles: Iterable[str] = (Role.REQUESTER,),
    **fields: Any,
) -> Person:
    """Create a person with roles. Administrators only (``actor=None`` is the system)."""
    if actor is not None:
        require_admin(actor)
    with transaction.atomic():
        if Person.objects.filter(username__iexact=username).exists():
            raise ValidationFailed(
                _("The user name %(name)s is taken.") % {"name": username}, field="username"
            )
        person = Person(username=username, name=name, email=email, **fields)
        if password:
            _check_password(password, person)
            person.set_password(password)
        else:
            person.set_unusable_password()
        audited_create(person, actor=actor, fields=PERSON_FIELDS, exclude=["password"])
        _grant(person, roles, actor=actor)
        return person


def person_update(*, actor: Any, person: Person, changes: dict[str, Any]) -> Person:
    """Change fields of a person. People may change their own preferences."""
    allowed = (
        PERSON_FIELDS
        if permissions.can_manage_organisation(actor)
        else (SELF_EDITABLE if actor is not None and actor.pk == person.pk else ())
    )
    if not allowed:
        raise NotPermitted(_("You may not change this person."))
    if "notification_channels" in changes:
        _check_channels(changes["notification_channels"])
    with transaction.atomic():
        return audited_update(person, actor=actor, changes=changes, allowed=allowed)


def _check_channels(channels: Any) -> None:
    from steward.identity.models import NotificationChannelKind

    valid = set(NotificationChannelKind.values)
    if not isinstance(channels, list) or not all(c in valid for c in channels):
        raise ValidationFailed(
            _("Choose channels among: %(valid)s.") % {"valid": ", ".join(sorted(valid))},
            field="notification_channels",
        )


def _grant(person: Person, roles: Iterable[str], *, actor: Any) -> None:
    wanted = set(roles)
    invalid = wanted - set(Role.values)
    if invalid:
        raise ValidationFailed(
            _("Unknown role: %(role)s") % {"role": sorted(invalid)[0]}, field="roles"
        )
    current = set(person.role_grants.values_list("role", flat=True))
    for role in sorted(wanted - current):
        RoleGrant.objects.create(person=person, role=role)
    removed = current - wanted
    if removed:
        person.role_grants.filter(role__in=removed).delete()
    if wanted != current:
        audit_record(
            actor=actor,
            obj=person,
            action="roles",
            changes={"roles": [sorted(current), sorted(wanted)]},
        )
    permissions.forget_roles(person)


def person_set_roles(*, actor: Any, person: Person, roles: Iterable[str]) -> Person:
    """Replace the roles a person holds. Administrators only."""
    require_admin(actor)
    with transaction.atomic():
        _grant(person, roles, actor=actor)
    return person


def person_set_password(*, actor: Any, person: Person, password: str) -> Person:
    """Set a new password (the person themself or an administrator)."""
    if not (actor.pk == person.pk or permissions.can_manage_organisation(actor)):
        raise NotPermitted(_("You may not change this person's password."))
    _check_password(password, person)
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        audit_record(actor=actor, obj=person, action="password_changed")
    return person


def person_deactivate(*, actor: Any, person: Person) -> Person:
    """Deactivate a person: they can no longer log in; their records stay."""
    require_admin(actor)
    if actor.pk == person.pk:
        raise ValidationFailed(_("You cannot deactivate yourself."), field="is_active")
    with transaction.atomic():
        audited_update(person, actor=actor, changes={"is_active": False}, allowed=["is_active"])
        person.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return person
