"""Label layout -> a bitmap at the printer's own dpi, for label printers that speak
ESC/POS (and for the on-screen preview). The same layout as the ZPL renderer, drawn dot
for dot: no driver scales it."""

from __future__ import annotations

import contextlib
import io

import qrcode
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from app.printing import fonts, textfit
from app.printing.bar_images import bars_with_text
from app.printing.barcodes import label_barcode_plan
from app.printing.layout import Label, LabelBarcode, LabelBox, LabelQR, LabelText
from app.printing.zpl import dots, text_box


def render_bitmap(label: Label, dpi: int = 203) -> Image.Image:
    """The label dot for dot; PrinterError (before printing) for a barcode that cannot fit."""
    image = Image.new("L", (dots(label.width_mm, dpi), dots(label.height_mm, dpi)), 255)
    draw = ImageDraw.Draw(image)
    for item in label.items:
        match item:
            case LabelText():
                _text(draw, item, label, dpi)
            case LabelBarcode():
                _paste(image, _barcode(item, label, dpi), item.x_mm, item.y_mm, dpi)
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


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled DejaVu Sans (fonts.py): the same glyphs on every machine."""
    return fonts.font(size, bold)


def fitted_text(item: LabelText, label: Label, dpi: int) -> textfit.Fitted:
    """The lines a text item prints as, measured in the bundled font at `dpi`."""
    width, size = text_box(item, label, dpi)
    return textfit.fit(textfit.glyphs(item.text), width, size, item.max_lines, item.bold)


def _text(draw: ImageDraw.ImageDraw, item: LabelText, label: Label, dpi: int) -> None:
    fitted = fitted_text(item, label, dpi)
    face = font(fitted.size, item.bold)
    x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
    for n, line in enumerate(fitted.lines):
        top = y + fitted.pad + n * fitted.pitch
        draw.text((x + textfit.offset(face, line), top), line, font=face, fill=0)


def _barcode(item: LabelBarcode, label: Label, dpi: int) -> Image.Image:
    plan = label_barcode_plan(item, label, dpi)
    return bars_with_text(
        item.data, item.symbology, plan.module, item.height_mm, dpi, item.show_text
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
