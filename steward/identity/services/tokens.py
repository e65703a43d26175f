"""Personal API tokens: created with a secret shown once, stored hashed, revocable."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import NotPermitted, ValidationFailed
from steward.core.refs import one
from steward.identity.models import ApiToken, Person, TokenScope

TOKEN_PREFIX = "stw_"  # noqa: S105 - a public prefix, not a secret
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_create(
    *, actor: Person, name: str, scope: str = TokenScope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; return it and the secret (shown once, never stored)."""
    if not name.strip():
        raise ValidationFailed(_("Give the token a name."), field="name")
    if scope not in TokenScope.values:
        raise ValidationFailed(_("Unknown scope: %(scope)s") % {"scope": scope}, field="scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("The expiry must be in the future."), field="expires_at")
    body = secrets.token_urlsafe(32)
    secret = f"{TOKEN_PREFIX}{body}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=actor,
            name=name.strip()[:100],
            prefix=body[:8],
            scope=scope,
            digest=ApiToken.hash_secret(secret),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            obj=token,
            action="create",
            changes={"name": token.name, "scope": scope, "prefix": token.prefix},
        )
    return token, secret


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token (its owner or an administrator). Revoking twice changes nothing."""
    from steward.identity import permissions

    if not (token.person_id == actor.pk or permissions.is_admin(actor)):
        raise NotPermitted(_("You may not revoke this token."))
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, obj=token, action="revoke")
    return token


def token_authenticate(secret: str) -> tuple[Person, ApiToken] | None:
    """The active person and token for ``secret``, or None. Records the last use (per minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = one(
        ApiToken.objects.select_related("person").filter(digest=ApiToken.hash_secret(secret))
    )
    if token is None or not token.is_usable or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.person, token
