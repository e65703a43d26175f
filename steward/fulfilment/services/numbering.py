"""Human reference numbers of service requests: REQ-000001, REQ-000002, ...

Gap-free like the incident numbers: the last number lives in one ``RequestNumberSequence``
row, locked and incremented in the creating transaction, so a rolled-back request leaves no
gap and two requests raised at once get distinct numbers.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Length

from steward.fulfilment.models import RequestNumberSequence, ServiceRequest

PREFIX = "REQ"


def request_number_next(prefix: str = PREFIX) -> str:
    """Allocate the next number of ``prefix`` in the caller's transaction."""
    with transaction.atomic():
        rows = RequestNumberSequence.objects.select_for_update(no_key=True)
        row = rows.filter(prefix=prefix).first()
        if row is None:
            RequestNumberSequence.objects.bulk_create(
                [RequestNumberSequence(prefix=prefix, last_value=_highest_in_use(prefix))],
                ignore_conflicts=True,
            )
            row = rows.get(prefix=prefix)
        row.last_value += 1
        row.save(update_fields=["last_value"])
        return f"{prefix}-{row.last_value:06d}"


def _highest_in_use(prefix: str) -> int:
    last = (
        ServiceRequest.objects.filter(number__startswith=f"{prefix}-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last.split("-", 1)[1]) if last else 0
