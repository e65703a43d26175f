"""Reading and writing tables (CSV, XLSX) for CMDB import and export. Pure: bytes in, rows out.

CSV: the encoding (``utf-8-sig`` unless named, e.g. ``latin-1``) and the delimiter
(sniffed from the header line unless named) are options; gzip-compressed content is
accepted as is. XLSX: the first sheet, or the one named. The first row is the header; blank
rows are skipped; cells beyond the header are ignored. Row numbers are those a spreadsheet
shows (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

FORMATS = ("csv", "xlsx")


class TableError(ValueError):
    """The file cannot be read as a table."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def format_of(file_name: str) -> str:
    name = file_name.lower().removesuffix(".gz")
    for fmt in FORMATS:
        if name.endswith(f".{fmt}"):
            return fmt
    raise TableError(f"{file_name}: not a .csv or .xlsx file")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw_rows: Iterable[Sequence[Any]]) -> Table:
    rows_iter = iter(raw_rows)
    try:
        first = next(rows_iter)
    except StopIteration:
        raise TableError("the file is empty") from None
    header = [_text(cell) for cell in first]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise TableError("the first row holds no column names")
    rows = []
    for number, raw in enumerate(rows_iter, start=2):
        values = [_text(cell) for cell in raw[: len(header)]]
        if not any(values):
            continue
        record = {}
        for name, value in zip(header, values, strict=False):
            if name and name not in record:
                record[name] = value
        rows.append((number, record))
    return Table(header=header, rows=rows)


def read(content: bytes, *, file_format: str, options: dict[str, Any] | None = None) -> Table:
    """The header and the non-blank rows of a CSV or XLSX file."""
    options = options or {}
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)
    if file_format == "xlsx":
        return _read_xlsx(content, options.get("sheet"))
    try:
        text = content.decode(options.get("encoding") or "utf-8-sig")
    except (UnicodeDecodeError, LookupError) as exc:
        raise TableError(f"cannot decode the file: {exc}") from None
    delimiter = options.get("delimiter") or _sniff(text)
    return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _sniff(text: str) -> str:
    line = text.split("\n", 1)[0]
    return max(",;\t|", key=line.count)


def _read_xlsx(content: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise TableError(f"not a readable XLSX file: {exc}") from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise TableError(f"no sheet {sheet}")
        worksheet = book[sheet] if sheet else book.worksheets[0]
        return _table(worksheet.iter_rows(values_only=True))
    finally:
        book.close()


def write(header: list[str], rows: Iterable[list[Any]], *, file_format: str) -> bytes:
    """A CSV (UTF-8 with BOM, so spreadsheets read it) or XLSX file of ``rows``."""
    if file_format == "xlsx":
        return _write_xlsx(header, rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def _write_xlsx(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("CIs")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
