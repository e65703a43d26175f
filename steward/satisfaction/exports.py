"""CSV and XLSX exports of the CSAT table (same columns as the console page and the API)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from steward.satisfaction.csat import CsatRow

COLUMNS = ("key", "label", "average", "satisfied_pct", "rated", "invited", "response_pct",
           "satisfied", "complaints")


def _table(rows: Sequence[CsatRow], by: str) -> list[list[object]]:
    table: list[list[object]] = [[by, f"{by}_name", *COLUMNS[2:]]]
    for row in rows:
        table.append([
            row.key, row.label,
            None if row.average is None else float(row.average),
            None if row.satisfied_pct is None else float(row.satisfied_pct),
            row.rated, row.invited,
            None if row.response_pct is None else float(row.response_pct),
            row.satisfied, row.complaints,
        ])
    return table


def csat_csv(rows: Sequence[CsatRow], by: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _table(rows, by):
        writer.writerow(["" if value is None else value for value in line])
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 Chinese text correctly


def csat_xlsx(rows: Sequence[CsatRow], by: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("CSAT")
    for line in _table(rows, by):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
