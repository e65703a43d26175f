"""Log-in bookkeeping: lock an account after repeated failures, unlock it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from steward.audit.services import audit_record
from steward.core.events import emit_in_transaction
from steward.identity.events import AccountLocked
from steward.identity.models import Person
from steward.identity.services.common import require_admin


def login_failed(*, username: str) -> Person | None:
    """Count a failed log-in; lock the account once the limit is reached."""
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(username__iexact=username).first()
        if person is None:
            return None
        person.failed_logins += 1
        fields = ["failed_logins"]
        if person.failed_logins >= settings.STEWARD_LOGIN_MAX_FAILURES and not person.is_locked:
            person.locked_until = timezone.now() + timedelta(
                minutes=settings.STEWARD_LOGIN_LOCKOUT_MINUTES
            )
            fields.append("locked_until")
            audit_record(
                actor=None,
                obj=person,
                action="locked",
                changes={"failed_logins": person.failed_logins},
            )
        person.save(update_fields=fields)
        if "locked_until" in fields:
            assert person.locked_until is not None
            emit_in_transaction(
                AccountLocked(
                    person_id=person.pk,
                    failed_logins=person.failed_logins,
                    locked_until=person.locked_until,
                )
            )
        return person


def login_succeeded(*, person: Person) -> None:
    """Reset the failure count after a good log-in."""
    if person.failed_logins or person.locked_until:
        Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)
        person.failed_logins = 0
        person.locked_until = None


def person_unlock(*, actor: Any, person: Person) -> Person:
    """Lift a lock-out before it runs out. Administrators only."""
    require_admin(actor)
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)
        person.failed_logins = 0
        person.locked_until = None
        audit_record(actor=actor, obj=person, action="unlocked")
    return person
