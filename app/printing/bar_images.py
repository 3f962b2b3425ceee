"""Barcodes drawn as images at whole printer dots (receipts, raster labels, the
on-screen preview and the scanner test in Settings). Kept apart from escpos.py so that
drawing a barcode does not import python-escpos and its capability data (~0.45 s, ~7 MB;
issue 20)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from app.printing import code128
from app.printing.layout import Barcode

PRINTER_DPI = 203


def barcode_image(block: Barcode, module: int = 2, dpi: int = PRINTER_DPI) -> Image.Image:
    """A software barcode at whole printer dots, with its quiet zone and its text in a band
    of its own below the bars (python-barcode's own text can touch them)."""
    return bars_with_text(
        block.data, block.symbology, module, block.height_mm, dpi, block.show_text
    )


def bars_with_text(  # noqa: PLR0913
    data: str, symbology: str, module: int, height_mm: float, dpi: int, show_text: bool
) -> Image.Image:
    """Bars painted from python-barcode's module string, each module exactly `module`
    dots (its ImageWriter rounds millimetres and makes bars of uneven width), then the
    text in a band of its own below them."""
    import barcode

    from app.printing.fonts import font

    kind = "ean13" if symbology == "EAN13" else "code128"
    pattern = barcode.get(kind, data).build()[0]
    quiet = code128.QUIET_MODULES * module
    height = max(8, round(height_mm * dpi / 25.4))
    bars = Image.new("L", (len(pattern) * module + 2 * quiet, height), 255)
    draw = ImageDraw.Draw(bars)
    for n, bit in enumerate(pattern):
        if bit == "1":
            x = quiet + n * module
            draw.rectangle((x, 0, x + module - 1, height - 1), fill=0)
    if not show_text:
        return bars
    face = font(max(10, round(2.5 * dpi / 25.4)))
    text_width = round(face.getlength(data))
    gap = max(2, round(0.5 * dpi / 25.4))
    width = max(bars.width, text_width + 2 * gap)
    bottom = int(face.getbbox(data)[3])
    image = Image.new("L", (width, bars.height + gap + bottom + 1), 255)
    image.paste(bars, ((width - bars.width) // 2, 0))
    ImageDraw.Draw(image).text(
        ((width - text_width) // 2, bars.height + gap), data, font=face, fill=0
    )
    return image
