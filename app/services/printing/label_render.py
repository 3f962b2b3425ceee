"""Labels in the label printer's own language: ZPL, or ESC/POS raster for a receipt-type
label printer. The renderers are imported when a label is drawn, not with the services:
python-escpos and Pillow cost ~0.4 s and ~10 MB, and a workstation that never prints a
label never needs them (issue 20: start-up and memory)."""

from __future__ import annotations

from collections.abc import Sequence

from app.printing.layout import Label
from app.services.printing.printers import PrinterRow


def label_payload(labels: Sequence[Label], printer: PrinterRow) -> bytes:
    """The bytes of these labels, one after another, for this printer."""
    if printer.language == "zpl":
        from app.printing.zpl import render_label

        return b"".join(render_label(label, printer.dpi) for label in labels)
    from app.printing.raster import render_label_escpos

    return b"".join(render_label_escpos(label, printer.dpi, printer.profile) for label in labels)
