"""Writes of satisfaction management: surveys after resolution, ratings, complaints.

Process: docs/processes/satisfaction.md (ISO/IEC 20000-1 8.3.2).
"""

from steward.satisfaction.services.complaints import (
    complaint_act,
    complaint_assign,
    complaint_note_add,
    complaint_open,
)
from steward.satisfaction.services.links import SURVEY_VALID_DAYS, survey_from_token, survey_token
from steward.satisfaction.services.surveys import (
    survey_check_open,
    survey_invite,
    survey_rate,
    survey_rate_by_link,
    survey_void_for_record,
)

__all__ = [
    "SURVEY_VALID_DAYS",
    "complaint_act",
    "complaint_assign",
    "complaint_note_add",
    "complaint_open",
    "survey_check_open",
    "survey_from_token",
    "survey_invite",
    "survey_rate",
    "survey_rate_by_link",
    "survey_token",
    "survey_void_for_record",
]
