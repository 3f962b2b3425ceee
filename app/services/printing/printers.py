"""The workstation's printers: what each role (receipt, label, document) may speak, adding
and changing printers, the default per role, and the preview printers of a fresh install.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.core import changes, driver_sql, session_cache
from app.core.auth import Actor, Permission, require
from app.core.errors import (
    NotFound,
    PrinterError,
    ValidationError,
)
from app.core.i18n import N_, _, label
from app.core.validation import clean_text
from app.models import Printer
from app.printing.transports import parse_uri

ROLES = ("receipt", "label", "document")
ROLE_LABELS = {"receipt": N_("Receipt"), "label": N_("Label"), "document": N_("Document")}
LANGUAGES = {"receipt": ("escpos",), "label": ("zpl", "escpos"), "document": ("pdf",)}
PAPER_WIDTHS = (58, 80)
# python-escpos profiles the printer settings offer; each is tested with a whole receipt
RECEIPT_PROFILES = (
    "default",
    "TM-T88V",
    "TM-T20II",
    "TM-P80",
    "POS-5890",
    "TH230",
    "NT-80-V-UL",
    "Sunmi-V2",
    "simple",
)
DPIS = (203, 300, 600)


@dataclass(frozen=True)
class PrinterInput:
    name: str
    uri: str
    role: str
    language: str = ""
    profile: str = "default"
    paper_width_mm: int = 80
    dpi: int = 203
    is_default: bool = True


@dataclass(frozen=True)
class PrinterRow:
    id: int
    name: str
    uri: str
    role: str
    language: str
    profile: str
    paper_width_mm: int
    dpi: int
    is_default: bool


def _row(p: Printer) -> PrinterRow:
    return PrinterRow(
        p.id, p.name, p.uri, p.role, p.language, p.profile, p.paper_width_mm, p.dpi, p.is_default
    )


def _checked(data: PrinterInput) -> dict[str, object]:
    if data.role not in ROLES:
        raise ValidationError(
            _("A printer's role is one of {value}.").format(value=", ".join(ROLES)), "role"
        )
    language = data.language or LANGUAGES[data.role][0]
    if language not in LANGUAGES[data.role]:
        raise ValidationError(
            _("A {role} printer speaks {value}, not {language}.").format(
                role=data.role, value=" or ".join(LANGUAGES[data.role]), language=language
            ),
            "language",
        )
    try:
        parse_uri(data.uri)
    except PrinterError as exc:
        raise ValidationError(exc.message, "uri") from None
    if data.paper_width_mm not in PAPER_WIDTHS:
        raise ValidationError(_("Receipt paper is 58 or 80 mm wide."), "paper_width_mm")
    if data.dpi not in DPIS:
        raise ValidationError(_("A label printer prints at 203, 300 or 600 dpi."), "dpi")
    if language == "escpos":
        from app.printing.escpos import EscposTarget  # python-escpos loads only when needed

        try:
            EscposTarget(data.profile, data.paper_width_mm).columns  # noqa: B018
        except PrinterError as exc:
            raise ValidationError(exc.message, "profile") from None
    return {
        "name": clean_text(data.name, "Printer name", max_length=80, required=True),
        "uri": clean_text(data.uri, "Address", max_length=300, required=True),
        "role": data.role,
        "language": language,
        "profile": data.profile,
        "paper_width_mm": data.paper_width_mm,
        "dpi": data.dpi,
        "is_default": data.is_default,
    }


def language_note(role: str, language: str) -> str:
    """What a printer of this language can print, for its settings page."""
    if language == "zpl":
        from app.printing.zpl import RESIDENT_FONT_NOTE

        return _(RESIDENT_FONT_NOTE)
    if role == "receipt" and language == "escpos":
        return _(
            "Text goes out in the printer's own code pages (PC858 or WPC1252 for €, PC850 "
            "or PC437 for accents); a letter none of them has prints spelled (ł as l, € as "
            "EUR). Print the test page to see it."
        )
    return _("Printed with Kestrel's own font (DejaVu Sans): Latin, Greek and Cyrillic letters.")


def role_label(role: str) -> str:
    """A printer's role in the screen's language."""
    return label(ROLE_LABELS, role)


def add_printer(session: Session, actor: Actor, workstation: str, data: PrinterInput) -> int:
    require(actor, Permission.SETTINGS_MANAGE)
    values = _checked(data)
    printer = Printer(workstation=workstation, **values)
    if data.is_default:
        _clear_default(session, workstation, data.role)
    session.add(printer)
    session.flush()
    changes.note(session, kind="printers")
    return printer.id


def update_printer(session: Session, actor: Actor, printer_id: int, data: PrinterInput) -> None:
    require(actor, Permission.SETTINGS_MANAGE)
    printer = session.get(Printer, printer_id)
    if printer is None:
        raise NotFound(_("Printer {printer_id} does not exist.").format(printer_id=printer_id))
    values = _checked(data)
    if data.is_default:
        _clear_default(session, printer.workstation, data.role)
    for key, value in values.items():
        setattr(printer, key, value)
    session.flush()
    changes.note(session, kind="printers")


def _clear_default(session: Session, workstation: str, role: str) -> None:
    session.execute(
        update(Printer)
        .where(Printer.workstation == workstation, Printer.role == role)
        .values(is_default=False)
    )


# The preview printer takes labels as ESC/POS raster, so its window can show the label
# itself at real size (there is no ZPL renderer on screen).
PREVIEW_LANGUAGES = {"receipt": "escpos", "label": "escpos", "document": "pdf"}


def ensure_preview_printers(session: Session, workstation: str) -> None:
    """A fresh workstation prints to the built-in preview printer, so printing works with
    no hardware at all."""
    have = set(session.scalars(select(Printer.role).where(Printer.workstation == workstation)))
    for role in ROLES:
        if role not in have:
            session.add(
                Printer(
                    workstation=workstation,
                    name=f"Preview ({role})",
                    uri="preview:",
                    role=role,
                    language=PREVIEW_LANGUAGES[role],
                    is_default=True,
                )
            )
    session.flush()


def list_printers(session: Session, workstation: str) -> list[PrinterRow]:
    return [
        _row(p)
        for p in session.scalars(
            select(Printer)
            .where(Printer.workstation == workstation)
            .order_by(Printer.role, Printer.id)
        )
    ]


@dataclass(frozen=True)
class Queued:
    """What the queue reads of a printer it stores a job for (queue._enqueue)."""

    id: int
    workstation: str
    name: str


_DEFAULT = driver_sql.Prebuilt(  # built once: every counter sale asks for its receipt printer
    select(
        Printer.id,
        Printer.name,
        Printer.uri,
        Printer.role,
        Printer.language,
        Printer.profile,
        Printer.paper_width_mm,
        Printer.dpi,
        Printer.is_default,
    )
    .where(Printer.workstation == bindparam("workstation"), Printer.role == bindparam("role"))
    .order_by(Printer.is_default.desc(), Printer.id)
    .limit(1)
)


def default_printer(session: Session, workstation: str, role: str) -> PrinterRow:
    found = driver_sql.read(session, _DEFAULT, {"workstation": workstation, "role": role})
    if not found:
        ensure_preview_printers(session, workstation)
        return default_printer(session, workstation, role)
    pid, name, uri, role_, language, profile, width, dpi, is_default = found[0]
    row = PrinterRow(pid, name, uri, role_, language, profile, width, dpi, bool(is_default))
    session_cache.keep(session, Queued(row.id, workstation, row.name), Printer)  # enqueue's
    return row


def get_printer(session: Session, printer_id: int) -> PrinterRow:
    printer = session.get(Printer, printer_id)
    if printer is None:
        raise NotFound(_("Printer {printer_id} does not exist.").format(printer_id=printer_id))
    return _row(printer)
