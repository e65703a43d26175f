"""CSV (UTF-8 with BOM, for Excel) and XLSX exports of the incident report and its trend.

Column names are stable English keys (for scripts); durations are in minutes (one decimal),
rates in percent. The CSAT columns stay empty until the satisfaction app is wired in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from steward.reports.definitions import AGE_BUCKETS
from steward.reports.figures import MeasureRow, Stats, TrendPoint


def _minutes(seconds: int | None) -> Decimal | None:
    if seconds is None:
        return None
    return (Decimal(seconds) / 60).quantize(Decimal("0.1"))


def _stats(name: str, pick: Callable[[MeasureRow], Stats]) -> list[tuple[str, Any]]:
    return [
        (f"{name}_count", lambda r: pick(r).count),
        (f"{name}_mean_min", lambda r: _minutes(pick(r).mean_seconds)),
        (f"{name}_p90_min", lambda r: _minutes(pick(r).p90_seconds)),
    ]


COLUMNS: list[tuple[str, Callable[[MeasureRow], Any]]] = [
    ("key", lambda r: r.key),
    ("group", lambda r: r.label),
    ("opened", lambda r: r.opened),
    ("resolved", lambda r: r.resolved),
    ("closed", lambda r: r.closed),
    ("backlog", lambda r: r.backlog),
    ("on_hold", lambda r: r.on_hold),
    ("open_at_end", lambda r: r.open_at_end),
    *[(f"age_{key}", (lambda k: lambda r: r.ages.get(k, 0))(key)) for key, *_ in AGE_BUCKETS],
    *_stats("frt_wall", lambda r: r.frt_wall),
    *_stats("frt_business", lambda r: r.frt_business),
    *_stats("mtta", lambda r: r.mtta),
    *_stats("mttr_wall", lambda r: r.mttr_wall),
    *_stats("mttr_business", lambda r: r.mttr_business),
    ("fcr_pct", lambda r: r.fcr_pct),
    ("reopen_pct", lambda r: r.reopen_pct),
    ("reassigned_pct", lambda r: r.reassigned_pct),
    ("reassignment_mean", lambda r: r.reassignment_mean),
    ("sla_response_pct", lambda r: r.sla_response.compliance),
    ("sla_resolution_pct", lambda r: r.sla_resolution.compliance),
    # CSAT slot (steward.reports.csat): empty until the satisfaction provider is wired.
    ("csat_average", lambda r: r.csat.average if r.csat else None),
    ("csat_satisfied_pct", lambda r: r.csat.satisfied_pct if r.csat else None),
    ("csat_ratings", lambda r: r.csat.ratings if r.csat else None),
    ("csat_response_rate", lambda r: r.csat.response_rate if r.csat else None),
]
TREND_COLUMNS = ("month", "opened", "resolved", "backlog_change", "mttr_wall_mean_min",
                 "mttr_wall_p90_min")


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def table(rows: Sequence[MeasureRow]) -> list[list[Any]]:
    lines: list[list[Any]] = [[name for name, _ in COLUMNS]]
    lines += [[_plain(get(row)) for _, get in COLUMNS] for row in rows]
    return lines


def trend_table(points: Sequence[TrendPoint]) -> list[list[Any]]:
    lines: list[list[Any]] = [list(TREND_COLUMNS)]
    for p in points:
        lines.append([p.month, p.opened, p.resolved, p.backlog_change,
                      _plain(_minutes(p.mttr_wall.mean_seconds)),
                      _plain(_minutes(p.mttr_wall.p90_seconds))])
    return lines


def to_csv(lines: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow(["" if value is None else value for value in line])
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 Chinese text correctly


def to_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook(write_only=True)
    for title, lines in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in lines:
            sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
