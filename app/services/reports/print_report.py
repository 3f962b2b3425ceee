"""Print a report: its PDF (exports_pdf, the same file Export… writes) to this
workstation's document printer through the print queue, like an invoice or a pick list.
A document printer that does not take PDF is refused in words: export the PDF instead."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import ValidationError
from app.core.i18n import _
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.reports.base import ReportResult
from app.services.reports.exports import export

DOCUMENT = "report"


def print_report(session: Session, actor: Actor, workstation: str, result: ReportResult) -> int:
    """Queue the report's PDF on the default document printer; returns the job's id."""
    require(actor, Permission.REPORTS_VIEW)
    printer = printers.default_printer(session, workstation, "document")
    if printer.language != "pdf":
        raise ValidationError(
            _(
                "The document printer '{name}' does not print PDF ({language}): export "
                "the report as PDF and print the file."
            ).format(name=printer.name, language=printer.language)
        )
    with tempfile.TemporaryDirectory(prefix="kestrel-report-") as folder:
        path = Path(folder) / f"{result.name}.pdf"
        export(result, "pdf", path)
        payload = path.read_bytes()
    return printing._enqueue(session, actor, printer.id, DOCUMENT, payload)
