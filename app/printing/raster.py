"""Label layout -> a bitmap at the printer's own dpi, for label printers that speak
ESC/POS (and for the on-screen preview). The same layout as the ZPL renderer, drawn dot
for dot: no driver scales it."""

from __future__ import annotations

import contextlib
import io
import textwrap
from functools import lru_cache
from pathlib import Path

import qrcode
import reportlab
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from app.printing.layout import Label, LabelBarcode, LabelBox, LabelQR, LabelText
from app.printing.zpl import dots


def render_bitmap(label: Label, dpi: int = 203) -> Image.Image:
    image = Image.new("L", (dots(label.width_mm, dpi), dots(label.height_mm, dpi)), 255)
    draw = ImageDraw.Draw(image)
    for item in label.items:
        match item:
            case LabelText():
                _text(draw, item, label, dpi)
            case LabelBarcode():
                _paste(image, _barcode(item, dpi), item.x_mm, item.y_mm, dpi)
            case LabelQR():
                module = max(1, dots(item.module_mm, dpi))
                qr = qrcode.QRCode(box_size=module, border=0)
                qr.add_data(item.data)
                _paste(image, qr.make_image().get_image().convert("L"), item.x_mm, item.y_mm, dpi)
            case LabelBox():
                x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
                t = max(1, dots(item.thickness_mm, dpi))
                w, h = max(t, dots(item.width_mm, dpi)), max(t, dots(item.height_mm, dpi))
                draw.rectangle((x, y, x + w - 1, y + h - 1), outline=0, width=t)
    return image


def _paste(image: Image.Image, part: Image.Image, x_mm: float, y_mm: float, dpi: int) -> None:
    image.paste(part.convert("L"), (dots(x_mm, dpi), dots(y_mm, dpi)))


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Bitstream Vera, which ReportLab ships: the same glyphs (accents, €, £) everywhere."""
    name = "VeraBd.ttf" if bold else "Vera.ttf"
    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / name), size)


def _text(draw: ImageDraw.ImageDraw, item: LabelText, label: Label, dpi: int) -> None:
    size = max(8, dots(item.height_mm, dpi))
    face = font(size, item.bold)
    box = dots(item.width_mm or (label.width_mm - item.x_mm - 1), dpi)
    average = max(1.0, face.getlength("abcdefghijklmnopqrstuvwxyz0123456789") / 36)
    per_line = max(1, int(box / average))
    lines = textwrap.wrap(item.text, per_line, break_long_words=True) or [""]
    if len(lines) > item.max_lines:
        lines = lines[: item.max_lines]
        lines[-1] = lines[-1][: max(0, per_line - 1)] + "…"
    x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
    for n, text in enumerate(lines):
        fitted = text
        while fitted and draw.textlength(fitted, font=face) > box:  # never past the box
            fitted = fitted[:-1]
        draw.text((x, y + n * round(size * 1.15)), fitted, font=face, fill=0)


def _barcode(item: LabelBarcode, dpi: int) -> Image.Image:
    import barcode
    from barcode.writer import ImageWriter

    kind = "ean13" if item.symbology == "EAN13" else "code128"
    module = max(1, dots(item.module_mm, dpi))
    return barcode.get(kind, item.data, writer=ImageWriter()).render(
        writer_options={
            "module_width": module * 25.4 / dpi,
            "module_height": item.height_mm,
            "quiet_zone": 2.5,
            "dpi": dpi,
            "font_size": 8 if item.show_text else 0,
            "text_distance": 2,
            "write_text": item.show_text,
        }
    )


def render_label_escpos(label: Label, dpi: int = 203, profile: str = "default") -> bytes:
    """The label as an ESC/POS raster job, one cut per copy."""
    printer = Dummy(profile=profile)
    can = printer.profile.supports
    impl = "bitImageRaster" if can("bitImageRaster") else "bitImageColumn"
    bitmap = render_bitmap(label, dpi).point(lambda v: 0 if v < 128 else 255).convert("1")
    printer.hw("INIT")
    with contextlib.redirect_stdout(io.StringIO()):  # python-escpos's chatty prints
        for _ in range(max(1, label.copies)):
            printer.image(bitmap, impl=impl, center=False, fragment_height=4096)
            printer.cut()
    return bytes(printer.output)
