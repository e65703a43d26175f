"""Survey invitations when a record is resolved, voiding when it is reopened, and ratings
(from the portal, the API or a signed link)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.services import audit_record
from steward.core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from steward.core.events import emit_in_transaction, publish
from steward.satisfaction import permissions
from steward.satisfaction.events import SurveyInvited, SurveyRated, SurveyVoided
from steward.satisfaction.models import (
    COMPLAINT_UP_TO,
    RATING_MAX,
    RATING_MIN,
    SURVEY_TRANSITIONS,
    RatingChannel,
    Survey,
    SurveyStatus,
)
from steward.satisfaction.services.complaints import complaint_open
from steward.satisfaction.services.links import SURVEY_VALID_DAYS, survey_from_token
from steward.workitems.models import WorkItem

COMMENT_MAX = 2000


def _open_surveys(record: WorkItem) -> Any:
    content_type = ContentType.objects.get_for_model(record)
    return Survey.objects.select_for_update(no_key=True).filter(
        content_type=content_type, object_id=record.pk, status=SurveyStatus.INVITED
    )


def _void(survey: Survey, *, at: datetime, actor: Any) -> None:
    survey.status = SURVEY_TRANSITIONS.target("void", survey.status)
    survey.voided_at = at
    survey.save(update_fields=["status", "voided_at"])
    audit_record(actor=actor, obj=survey, action="void",
                 changes={"status": [SurveyStatus.INVITED, SurveyStatus.VOID]})
    publish(SurveyVoided(survey_id=survey.pk, record_number=survey.record_number))


def survey_invite(*, record: WorkItem, at: datetime | None = None) -> Survey | None:
    """Open a survey on the resolution of ``record`` (any registered record type), voiding an
    earlier open one. Returns None when the requester's account is inactive (nobody to ask).

    Runs in the resolving transaction. Emits ``SurveyInvited`` inside it, so the invitation
    (a notification outbox row) commits with the resolution.
    """
    now = at or timezone.now()
    requester = record.requester
    with transaction.atomic():
        for earlier in _open_surveys(record):
            _void(earlier, at=now, actor=None)
        if not requester.is_active:
            return None
        survey = Survey.objects.create(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk,
            record_number=record.number, record_title=record.title[:200], requester=requester,
            team=record.team, engineer=record.assignee, service=getattr(record, "service", None),
            nonce=secrets.token_hex(16), invited_at=now,
            expires_at=now + timedelta(days=SURVEY_VALID_DAYS),
        )
        audit_record(actor=None, obj=survey, action="create", changes={
            "record": record.number, "requester": requester.pk,
            "expires_at": survey.expires_at,
        })
        emit_in_transaction(SurveyInvited(
            survey_id=survey.pk, record_number=survey.record_number, requester_id=requester.pk,
        ))
    return survey


def survey_void_for_record(*, record: WorkItem, actor: Any = None) -> int:
    """Void the record's open survey (it was reopened): its link stops working. Returns how
    many were voided (0 or 1)."""
    with transaction.atomic():
        found = list(_open_surveys(record))
        for survey in found:
            _void(survey, at=timezone.now(), actor=actor)
    return len(found)


def survey_check_open(survey: Survey) -> None:
    """Raise the domain error saying why ``survey`` can no longer be rated, if it cannot."""
    if survey.status == SurveyStatus.RATED:
        raise Conflict(_("This survey has already been answered. Thank you!"),
                       code="survey_used")
    if survey.status == SurveyStatus.VOID:
        raise InvalidTransition(
            _("This survey no longer applies: the ticket was reopened. You will get a new one "
              "when it is resolved again."),
            code="survey_void",
        )
    if timezone.now() >= survey.expires_at:
        raise BusinessRuleViolation(_("This survey has expired."), code="survey_expired")


def _clean(rating: Any, comment: str) -> tuple[int, str]:
    if isinstance(rating, bool) or not isinstance(rating, int) or not (
        RATING_MIN <= rating <= RATING_MAX
    ):
        raise ValidationFailed(
            _("Choose a rating from %(min)d to %(max)d.") % {"min": RATING_MIN, "max": RATING_MAX},
            field="rating",
        )
    cleaned = str(comment or "").strip()
    if len(cleaned) > COMMENT_MAX:
        raise ValidationFailed(_("At most %(max)d characters.") % {"max": COMMENT_MAX},
                               field="comment")
    return rating, cleaned


def _rate(survey: Survey, *, actor: Any, rating: Any, comment: str, via: str) -> Survey:
    with transaction.atomic():
        locked: Survey = (
            Survey.objects.select_for_update(no_key=True, of=("self",))
            .select_related("team__lead", "service__owner", "requester")
            .get(pk=survey.pk)
        )
        survey_check_open(locked)
        value, text = _clean(rating, comment)
        locked.status = SURVEY_TRANSITIONS.target("rate", locked.status)
        locked.rating, locked.comment, locked.rated_via = value, text, via
        locked.rated_at = timezone.now()
        locked.save(update_fields=["status", "rating", "comment", "rated_via", "rated_at"])
        audit_record(actor=actor, obj=locked, action="rate", changes={
            "status": [SurveyStatus.INVITED, SurveyStatus.RATED], "rating": value,
            "comment": text, "via": via,
        })
        if value <= COMPLAINT_UP_TO:
            complaint_open(survey=locked, actor=actor)
        publish(SurveyRated(survey_id=locked.pk, record_number=locked.record_number,
                            rating=value))
    return locked


def survey_rate(*, actor: Any, survey: Survey, rating: Any, comment: str = "",
                via: str = RatingChannel.PORTAL) -> Survey:
    """The requester rates the resolution 1–5 with an optional comment; 1 or 2 opens a
    complaint. One rating per survey.

    Emits ``SurveyRated`` (and ``ComplaintOpened``). Errors: ``NotPermitted`` (not the
    requester), ``Conflict`` ``survey_used``, ``InvalidTransition`` ``survey_void``,
    ``BusinessRuleViolation`` ``survey_expired``, ``ValidationFailed`` (rating, comment).
    """
    if not permissions.can_rate(actor, survey):
        raise NotPermitted(_("Only the person who raised the ticket can rate it."))
    return _rate(survey, actor=actor, rating=rating, comment=comment, via=via)


def survey_rate_by_link(*, token: str, rating: Any, comment: str = "") -> Survey:
    """Rate through a signed link, without signing in: the link stands for the requester.

    Errors as ``survey_rate``, plus ``NotFound`` ``survey_link_invalid`` / ``survey_expired``
    for a forged or too old link.
    """
    survey = survey_from_token(token)
    if not survey.requester.is_active:
        raise NotPermitted(_("This account is no longer active."))
    return _rate(survey, actor=survey.requester, rating=rating, comment=comment,
                 via=RatingChannel.LINK)
