"""The CSAT slot: where the satisfaction app plugs its figures into the reports.

The satisfaction app (built separately, one layer below reports) provides a selector that
returns, per team or engineer, the average rating, % satisfied, number of ratings and the
response rate. The lead wires it here by setting ``PROVIDER`` (e.g. in ``ReportsConfig.ready``)
to a function with the ``CsatProvider`` signature. Until then every row's ``csat`` stays None
and the pages show "not connected": figures are never made up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from steward.reports.figures import CsatFigures, MeasureRow
from steward.reports.query import Filters, Period


class CsatProvider(Protocol):
    def __call__(
        self, *, user: Any, period: Period, filters: Filters, by: str
    ) -> dict[Any, CsatFigures]:
        """CSAT figures per group key (team id, engineer id, ...; None for the total)."""
        ...


PROVIDER: CsatProvider | None = None
SUPPORTED = ("total", "team", "engineer")


def connected() -> bool:
    return PROVIDER is not None


def fill(rows: Sequence[MeasureRow], *, user: Any, period: Period, filters: Filters, by: str
         ) -> None:
    """Attach the provider's figures to the rows (nothing when no provider is wired)."""
    if PROVIDER is None or by not in SUPPORTED:
        return
    figures = PROVIDER(user=user, period=period, filters=filters, by=by)
    for row in rows:
        row.csat = figures.get(row.key)
