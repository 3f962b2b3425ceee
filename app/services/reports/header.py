"""The lines every export starts with: title, definition, range, filters, notes (here, so
the CSV/XLSX writers and the PDF writer share them without importing each other)."""

from __future__ import annotations

from app.services.reports.base import ReportResult


def header_lines(result: ReportResult) -> list[str]:
    f = result.filters
    lines = [
        result.title,
        result.definition,
        f"From {f.start.isoformat()} to {f.end.isoformat()} ({result.timezone}), "
        f"money in {result.currency}",
    ]
    chosen = [
        f"{name}: {value}"
        for name, value in (
            ("warehouse", f.warehouse),
            ("channel", f.channel),
            ("category", f.category),
        )
        if value
    ]
    if chosen:
        lines.append("Filters: " + ", ".join(chosen))
    lines.extend(result.notes)
    return lines
