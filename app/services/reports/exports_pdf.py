"""A report as PDF with its chart (ReportLab): built by the reports work."""

from __future__ import annotations

from pathlib import Path

from app.core.errors import ValidationError
from app.services.reports.base import ReportResult


def write_pdf(result: ReportResult, path: Path) -> None:  # noqa: ARG001 - placeholder
    raise ValidationError("PDF export of reports is not built yet.")
