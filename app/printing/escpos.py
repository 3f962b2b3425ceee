"""Receipt layout -> ESC/POS bytes through python-escpos, for 58 and 80 mm paper.

python-escpos supplies the command set, the printer profiles (its capability database)
and the code-page switching, so accented and currency characters print right; a character
no code page of the profile has is replaced by its plain letter (ł -> l) or '?', never by
junk. QR codes and barcodes are sent natively where the profile has them, as an image
otherwise, in the image mode the profile supports.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from escpos.printer import Dummy
from PIL import Image

from app.printing.layout import Barcode, Feed, Logo, QRCode, Receipt, Row, Rule, Text
from app.services.errors import PrinterError

# Font A / font B columns on common paper widths, where the profile does not say.
COLUMNS = {58: (32, 42), 80: (48, 64)}
DOTS_PER_MM = 8  # 203 dpi, the usual thermal head
PRINTER_DPI = 203


@dataclass(frozen=True)
class EscposTarget:
    """What the renderer needs to know about one receipt printer."""

    profile: str = "default"
    paper_width_mm: int = 80

    @property
    def columns(self) -> int:
        profile = _dummy(self.profile).profile.profile_data
        width = profile.get("media", {}).get("width", {}).get("mm")
        fonts = profile.get("fonts", {})
        if width == self.paper_width_mm and "0" in fonts:
            return int(fonts["0"]["columns"])
        if self.paper_width_mm not in COLUMNS:
            raise PrinterError(f"Paper {self.paper_width_mm} mm wide is not supported (58 or 80).")
        return COLUMNS[self.paper_width_mm][0]


def _dummy(profile: str) -> Dummy:
    try:
        return Dummy(profile=profile)
    except Exception as exc:  # python-escpos raises its own NotSupported/KeyError types
        raise PrinterError(f"Unknown printer profile '{profile}'.") from exc


@lru_cache(maxsize=8)
def _fallback_table(_profile: str) -> dict[str, str]:
    """Per profile: what each non-ASCII character prints as (itself, a plain letter, '?')."""
    return {}


def printable(text: str, printer: Dummy, profile: str) -> str:
    """Keep what some code page of the profile can print; plain letters for the rest."""
    cache = _fallback_table(profile)
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        if char not in cache:
            if printer.magic.encoder.find_suitable_encoding(char):
                cache[char] = char
            else:
                base = "".join(
                    c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
                )
                cache[char] = base if base and base.isascii() and base.isprintable() else "?"
        out.append(cache[char])
    return "".join(out)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, replace_whitespace=True) or [""]


def render_receipt(receipt: Receipt, target: EscposTarget) -> bytes:
    # python-escpos prints chatty lines to stdout; they are not ours to show
    with contextlib.redirect_stdout(io.StringIO()):
        return _render(receipt, target)


def _render(receipt: Receipt, target: EscposTarget) -> bytes:
    printer = _dummy(target.profile)
    columns = target.columns
    printer.hw("INIT")
    can = printer.profile.supports
    image_impl = "bitImageRaster" if can("bitImageRaster") else "bitImageColumn"
    for block in receipt.blocks:
        match block:
            case Text():
                _text(printer, block, columns, target.profile)
            case Row():
                _row(printer, block, columns, target.profile)
            case Rule():
                printer.set(align="left", bold=False, normal_textsize=True)
                printer.text(block.char * columns + "\n")
            case Barcode():
                _barcode(printer, block, can("barcodeB"), image_impl)
            case QRCode():
                module = max(2, min(16, round(block.size_mm * DOTS_PER_MM / 29)))
                printer.set(align="center")
                printer.qr(
                    block.data,
                    size=module,
                    native=can("qrCode"),
                    image_arguments={"impl": image_impl, "center": False},
                )
            case Feed():
                printer.text("\n" * block.lines)
            case Logo():
                printer.set(align="center")
                printer.image(Image.open(io.BytesIO(block.png)), impl=image_impl, center=False)
    printer.set(align="left", bold=False, normal_textsize=True)
    if receipt.cut:
        printer.cut()
    if receipt.open_drawer:
        printer.cashdraw(2)
    return bytes(printer.output)


def _text(printer: Dummy, block: Text, columns: int, profile: str) -> None:
    width = columns // 2 if block.double_width else columns
    printer.set(
        align=block.align.value,
        bold=block.bold,
        underline=1 if block.underline else 0,
        double_width=block.double_width,
        double_height=block.double_height,
        normal_textsize=not (block.double_width or block.double_height),
    )
    for line in _wrap(printable(block.text, printer, profile), width):
        printer.text(line + "\n")


def _row(printer: Dummy, block: Row, columns: int, profile: str) -> None:
    printer.set(align="left", bold=block.bold, normal_textsize=True)
    right = printable(block.right, printer, profile)[: columns // 2]
    lines = _wrap(printable(block.left, printer, profile), columns)
    last = lines[-1]
    if len(last) + 1 + len(right) > columns:
        lines.append("")
        last = ""
    for line in lines[:-1]:
        printer.text(line + "\n")
    printer.text(last + " " * (columns - len(last) - len(right)) + right + "\n")


def _barcode(printer: Dummy, block: Barcode, native: bool, image_impl: str) -> None:
    height = max(16, min(255, round(block.height_mm * DOTS_PER_MM)))
    printer.set(align="center")
    _send_barcode(printer, block, native, image_impl, height)
    printer.text("\n")


def _send_barcode(
    printer: Dummy, block: Barcode, native: bool, image_impl: str, height: int
) -> None:
    if not native:
        printer.image(barcode_image(block), impl=image_impl, center=False)
        return
    position = "BELOW" if block.show_text else "OFF"
    if block.symbology == "EAN13":
        printer.barcode(block.data, "EAN13", height=height, width=2, pos=position)
    else:
        # the native Code 128 command wants its code set first ({B: printable ASCII)
        printer.barcode(
            "{B" + block.data,
            "CODE128",
            height=height,
            width=2,
            pos=position,
            function_type="B",
            check=False,
        )


def barcode_image(block: Barcode) -> Image.Image:
    """A software barcode at whole printer dots, with its quiet zone (python-escpos's own
    software path clips the first bar of a Code 128, which scanners then refuse)."""
    import barcode
    from barcode.writer import ImageWriter

    kind = "ean13" if block.symbology == "EAN13" else "code128"
    code = barcode.get(kind, block.data, writer=ImageWriter())
    return code.render(
        writer_options={
            "module_width": 2 * 25.4 / PRINTER_DPI,
            "module_height": block.height_mm,
            "quiet_zone": 2.5,
            "dpi": PRINTER_DPI,
            "font_size": 9 if block.show_text else 0,
            "text_distance": 3,
            "write_text": block.show_text,
        }
    )
