"""CSV and XLSX exports of the compliance report."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from steward.sla.reporting import ComplianceRow

COLUMNS = ("met", "breached", "total", "compliance_pct", "mean_minutes", "p90_minutes")


def _table(rows: Sequence[ComplianceRow], dims: Sequence[str]) -> list[list[object]]:
    table: list[list[object]] = [[*dims, *COLUMNS]]
    for row in rows:
        table.append(
            [
                *(row.key[d] for d in dims),
                row.met,
                row.breached,
                row.total,
                None if row.compliance is None else float(row.compliance),
                None if row.mean_minutes is None else float(row.mean_minutes),
                None if row.p90_minutes is None else float(row.p90_minutes),
            ]
        )
    return table


def compliance_csv(rows: Sequence[ComplianceRow], dims: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _table(rows, dims):
        writer.writerow(["" if value is None else value for value in line])
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 Chinese text correctly


def compliance_xlsx(rows: Sequence[ComplianceRow], dims: Sequence[str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("SLA compliance")
    for line in _table(rows, dims):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
