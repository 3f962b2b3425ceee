"""A report to a file: CSV and XLSX here (values a spreadsheet reads as numbers), PDF
with its chart in exports_pdf. Every export starts with the report's definition, range and
filters, so a file read months later still says what its numbers mean."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Literal, TextIO

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.money import to_decimal
from app.services.reports.base import Column, ReportResult
from app.services.reports.header import header_lines

__all__ = [
    "FORMATS",
    "Format",
    "cell",
    "export",
    "header_lines",
    "write_csv",
    "write_csv_to",
    "write_xlsx",
]

Format = Literal["csv", "xlsx", "pdf", "json"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "pdf", "json")


def cell(column: Column, value: object, currency: str) -> object:
    """A spreadsheet wants numbers: money as an exact Decimal in major units (the
    currency's own number of decimals), percent from basis points."""
    if value is None:
        return ""
    if column.kind == "money" and isinstance(value, int):
        return to_decimal(value, currency)
    if column.kind == "percent" and isinstance(value, int):
        return Decimal(value).scaleb(-2)
    return value


def write_csv(result: ReportResult, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        write_csv_to(result, out)


def write_csv_to(result: ReportResult, out: TextIO) -> None:
    """The CSV to any text stream (`kestrel report --format csv --out -` prints it)."""
    writer = csv.writer(out)
    for line in header_lines(result):
        writer.writerow([f"# {line}"])
    writer.writerow([c.title for c in result.columns])
    for row in result.rows:
        writer.writerow([cell(c, row.get(c.key), result.currency) for c in result.columns])


def write_xlsx(result: ReportResult, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(result.name[:31])
    for line in header_lines(result):
        sheet.append([line])
    sheet.append([c.title for c in result.columns])
    for row in result.rows:
        sheet.append([cell(c, row.get(c.key), result.currency) for c in result.columns])
    book.save(path)


def export(result: ReportResult, fmt: str, path: Path) -> None:
    """The screen and `kestrel report --format` both come here."""
    if fmt == "csv":
        write_csv(result, path)
    elif fmt == "xlsx":
        write_xlsx(result, path)
    elif fmt == "json":
        import json

        path.write_text(json.dumps(result.as_json(), indent=2, default=str), encoding="utf-8")
    elif fmt == "pdf":
        from app.services.reports.exports_pdf import write_pdf

        write_pdf(result, path)
    else:
        raise ValidationError(
            _("'{fmt}' is not one of {value}.").format(fmt=fmt, value=", ".join(FORMATS))
        )
