"""Bin labels on the workstation's label printer: one job for the chosen bins, in the
order chosen, drawn in the printer's language (ZPL or ESC/POS raster) like product labels."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Actor, Permission, require
from app.core.errors import NotFound, ValidationError
from app.core.i18n import _
from app.core.validation import clean_text
from app.models import Location, Warehouse
from app.printing.bin_label import bin_label
from app.services.printing import printers
from app.services.printing import queue as printing
from app.services.printing.label_render import label_payload

MAX_BINS = 2_000


def print_bin_labels(session: Session, actor: Actor, workstation: str, codes: list[str]) -> int:
    """Queue one label per bin code (zones too: a zone's label marks the aisle end);
    returns the print job's id."""
    require(actor, Permission.CATALOGUE_VIEW)
    if not codes:
        raise ValidationError(_("Choose the bins to print labels for."), "bins")
    if len(codes) > MAX_BINS:
        raise ValidationError(
            _("One batch prints at most {max_bins:,} bin labels.").format(max_bins=MAX_BINS), "bins"
        )
    labels = []
    for raw in codes:
        code = clean_text(raw, "Bin", max_length=40, required=True)
        row = session.execute(
            select(Location.code, Location.name, Warehouse.code)
            .join(Warehouse, Warehouse.id == Location.warehouse_id)
            .where(Location.code == code)
        ).first()
        if row is None:
            raise NotFound(_("There is no bin {code!r} to print a label for.").format(code=code))
        labels.append(bin_label(row[0], row[1], row[2]))
    printer = printers.default_printer(session, workstation, "label")
    payload = label_payload(labels, printer)
    return printing._enqueue(session, actor, printer.id, "bin-labels", payload)
