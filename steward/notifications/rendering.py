"""Rendering message templates in the recipient's language.

Templates are rendered by a dedicated engine without autoescaping (messages are plain text or
chat markdown) and without template loaders, so a template cannot include files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.core.config_cache import cached
from steward.core.errors import ValidationFailed
from steward.notifications import selectors
from steward.notifications.models import MessageTemplate

_ENGINE = Engine(loaders=[], autoescape=False)
SUBJECT_MAX = 200


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    body: str


def render_message(
    *, event: str, language: str, context: Mapping[str, Any], time_zone: str | None = None
) -> Rendered:
    """Render ``event``'s template in ``language`` (or the language it exists in), showing
    dates and times in ``time_zone`` (the recipient's)."""
    template = selectors.template_for(event=event, language=language)
    if template is None:
        raise ValidationFailed(
            _("There is no message template for the event %(event)s.") % {"event": event},
            code="unknown_event", field="event",
        )
    try:
        subject_template, body_template = _compiled(template)
        with translation.override(template.language), timezone.override(time_zone):
            subject = subject_template.render(Context(dict(context)))
            body = body_template.render(Context(dict(context)))
    except TemplateSyntaxError as exc:
        raise ValidationFailed(
            _("The message template of %(event)s is broken: %(error)s")
            % {"event": event, "error": exc},
            code="template_error", field="event",
        ) from None
    # A subject is one header line: newlines would break the e-mail.
    return Rendered(template.language, " ".join(subject.split())[:SUBJECT_MAX], body.strip())


def _compiled(template: MessageTemplate) -> tuple[Template, Template]:
    """The template's subject and body compiled (cached with the configuration; compiled
    Django templates render safely from several threads). A broken one raises every time."""

    def build() -> tuple[Template, Template]:
        return _ENGINE.from_string(template.subject), _ENGINE.from_string(template.body)

    key = ("notifications.compiled", template.pk, template.language, template.subject,
           template.body)  # fmt: skip
    return cached(key, build, watch=(MessageTemplate,))
