"""The small drawn pieces of Kestrel's PDFs (a Code 128 barcode, a tick box): vectors, so
they stay sharp at any zoom or printer resolution and need no glyph from a font."""

from __future__ import annotations

from reportlab.graphics.barcode import code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

REGULAR = "KestrelSans"  # registered by app/printing/pdf.py before any document is built


class CodeBarcode(Flowable):
    """A Code 128 barcode drawn as vectors: sharp at any zoom or printer resolution."""

    def __init__(self, value: str, height_mm: float = 10, module_mm: float = 0.3) -> None:
        super().__init__()
        self.value = value
        self.code = code128.Code128(value, barHeight=height_mm * mm, barWidth=module_mm * mm)
        self.width, self.height = self.code.width, self.code.height + 4 * mm

    def draw(self) -> None:
        self.code.drawOn(self.canv, 0, 4 * mm)
        self.canv.setFont(REGULAR, 8)
        self.canv.drawCentredString(self.width / 2, 1 * mm, self.value)


class TickBox(Flowable):
    """An empty square to tick with a pen (drawn, so it never depends on a glyph)."""

    def __init__(self, size_mm: float = 3.2) -> None:
        super().__init__()
        self.width = self.height = size_mm * mm

    def draw(self) -> None:
        self.canv.setLineWidth(0.7)
        self.canv.rect(0, 0, self.width, self.height)
