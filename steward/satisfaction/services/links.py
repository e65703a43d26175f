"""Signed survey links (``django.core.signing``): they name one survey by id and nonce, so a
forged, altered or replayed-after-use link is refused. The survey row decides the rest (rated,
void, expired)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from steward.core.errors import NotFound
from steward.satisfaction.models import Survey

SALT = "steward.satisfaction.survey-link"
SURVEY_VALID_DAYS = 14


def survey_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": survey.nonce}, salt=SALT)


def survey_link(survey: Survey) -> str:
    """The absolute link of the survey's rating page (works without signing in)."""
    path = reverse("satisfaction_public:rate", args=[survey_token(survey)])
    return f"{settings.STEWARD_BASE_URL}{path}"


def survey_from_token(token: str) -> Survey:
    """The survey a link names. Raises ``NotFound`` (code ``survey_link_invalid``) for a link
    that was altered, forged, signed too long ago, or names a survey that is gone."""
    invalid = NotFound(
        _("This survey link is not valid. Please use the link from your message, or rate the "
          "ticket in the portal."),
        code="survey_link_invalid",
    )
    try:
        payload = signing.loads(
            token, salt=SALT, max_age=timedelta(days=SURVEY_VALID_DAYS + 1)
        )
    except signing.SignatureExpired:
        raise NotFound(
            _("This survey link has expired."), code="survey_expired"
        ) from None
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise invalid
    survey = (
        Survey.objects.select_related("requester")
        .filter(pk=int(payload["s"]), nonce=str(payload.get("n", "")))
        .first()
    )
    if survey is None:
        raise invalid
    return survey
