"""E-mail through Django's mail API, threaded by Message-ID, In-Reply-To and References.

Every notification has a stable Message-ID built from its id, so a retried send is the same
message to the mail client. Later messages of the same thread key point at the first one.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from steward.notifications.channels.base import (
    DeliveryError,
    Endpoint,
    OutboundMessage,
    Poster,
    SendResult,
)


def message_id(notification_id: int) -> str:
    return f"<notification.{notification_id}@{settings.STEWARD_EMAIL_DOMAIN}>"


def _headers(message: OutboundMessage) -> dict[str, str]:
    headers = {
        "Message-ID": message_id(message.notification_id),
        "Auto-Submitted": "auto-generated",
        "Content-Language": "zh-Hans" if message.language == "zh-hans" else message.language,
        "X-Steward-Event": message.event,
    }
    if message.thread_root_id is not None:
        root = message_id(message.thread_root_id)
        headers["In-Reply-To"] = root
        headers["References"] = root
    return headers


def send(message: OutboundMessage, endpoint: Endpoint | None, http: Poster) -> SendResult:
    body = f"{message.body}\n\n{message.link}\n" if message.link else f"{message.body}\n"
    email = EmailMessage(
        subject=message.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.target],
        headers=_headers(message),
    )
    try:
        sent = email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(
            f"The mail server refused {message.target}: {exc.recipients}",
            permanent=all(code >= 500 for code in codes),
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"The mail server answered {exc.smtp_code}: {exc.smtp_error!r}",
            permanent=exc.smtp_code >= 500,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"Sending mail failed: {type(exc).__name__}: {exc}") from None
    if sent != 1:
        raise DeliveryError("The mail backend did not send the message.")
    return SendResult(external_id=message_id(message.notification_id))
