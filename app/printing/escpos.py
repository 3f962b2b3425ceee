"""Receipt layout -> ESC/POS bytes through python-escpos, for 58 and 80 mm paper.

python-escpos supplies the command set and the printer profiles (its capability
database); text goes out through our own code-page choice (codepages.py), because its
encoder trusts slot names that do not match what the printers have. Columns come from
the paper and the font where a profile's figure is implausible, and an amount is never
cut: the name beside it wraps instead. QR codes and barcodes are sent natively where the
profile has them, as an image otherwise; a barcode is sized to the head (code128.py).
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from dataclasses import dataclass

from escpos.printer import Dummy
from PIL import Image

from app.core.errors import PrinterError
from app.core.i18n import _
from app.printing import code128
from app.printing.bar_images import PRINTER_DPI, barcode_image
from app.printing.codepages import Encoder, profile_pages
from app.printing.codepages import printable as _printable
from app.printing.layout import Barcode, Feed, Logo, QRCode, Receipt, Row, Rule, Text

# Font A / font B columns and head dots on common paper widths, at 203 dpi (12-dot font A).
COLUMNS = {58: (32, 42), 80: (48, 64)}
HEAD_DOTS = {58: 384, 80: 576}
DOTS_PER_MM = 8  # 203 dpi, the usual thermal head
NATIVE_MODULES = (2, 6)  # GS w: the narrowest and widest module a printer draws natively


@dataclass(frozen=True)
class EscposTarget:
    """What the renderer needs to know about one receipt printer."""

    profile: str = "default"
    paper_width_mm: int = 80

    def _media(self) -> dict:  # type: ignore[type-arg]
        return dict(_dummy(self.profile).profile.profile_data.get("media", {}))

    def _check_paper(self) -> None:
        if self.paper_width_mm not in COLUMNS:
            raise PrinterError(
                _("Paper {paper_width_mm} mm wide is not supported (58 or 80).").format(
                    paper_width_mm=self.paper_width_mm
                )
            )

    def _pixels(self) -> int | None:
        pixels = self._media().get("width", {}).get("pixels")
        return pixels if isinstance(pixels, int) and pixels > 0 else None

    @property
    def head_dots(self) -> int:
        """Dots across the head: the paper's, or fewer where the profile says so (a 58 mm
        printer set up for 80 mm paper still has a 384-dot head)."""
        self._check_paper()
        return min(HEAD_DOTS[self.paper_width_mm], self._pixels() or 10_000)

    @property
    def columns(self) -> int:
        """Font A columns (12 dots a character): the profile's figure when it is plausible
        for the head (NT-80-V-UL's says 12 for 80 mm), else the head's own figure."""
        head = self.head_dots  # refuses a paper width first
        base = min(COLUMNS[self.paper_width_mm][0], head // 12)
        fonts = _dummy(self.profile).profile.profile_data.get("fonts", {})
        claimed = fonts.get("0", {}).get("columns")
        known = isinstance(self._media().get("width", {}).get("mm"), int | float)
        if known and isinstance(claimed, int) and 0.8 * base <= claimed <= base:
            return claimed
        return base

    @property
    def dpi(self) -> int:
        dpi = self._media().get("dpi")
        return dpi if isinstance(dpi, int) else PRINTER_DPI


def _dummy(profile: str) -> Dummy:
    try:
        return Dummy(profile=profile)
    except Exception as exc:  # python-escpos raises its own NotSupported/KeyError types
        raise PrinterError(
            _("Unknown printer profile '{profile}'.").format(profile=profile)
        ) from exc


def printable(text: str, _printer: Dummy, profile: str) -> str:
    """Text as `profile` prints it: what its code pages have, the rest spelled (ł -> l)."""
    return _printable(text, profile_pages(profile))


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, replace_whitespace=True) or [""]


def render_receipt(receipt: Receipt, target: EscposTarget) -> bytes:
    """The receipt's bytes; PrinterError (before anything prints) for what cannot fit."""
    # python-escpos prints chatty lines to stdout; they are not ours to show
    with contextlib.redirect_stdout(io.StringIO()):
        return _Renderer(target).render(receipt)


class _Renderer:
    def __init__(self, target: EscposTarget) -> None:
        self.target = target
        self.printer = _dummy(target.profile)
        self.columns = target.columns
        self.encoder = Encoder(profile_pages(target.profile))
        can = self.printer.profile.supports
        self.native_qr = can("qrCode")
        self.native_barcode = can("barcodeB")
        self.image_impl = "bitImageRaster" if can("bitImageRaster") else "bitImageColumn"

    def write(self, text: str) -> None:
        self.printer._raw(self.encoder.encode(text))  # noqa: SLF001 (python-escpos's byte sink)

    def render(self, receipt: Receipt) -> bytes:
        printer = self.printer
        printer.hw("INIT")
        self.encoder.reset()
        for block in receipt.blocks:
            match block:
                case Text():
                    self._text(block)
                case Row():
                    self._row(block)
                case Rule():
                    printer.set(align="left", bold=False, normal_textsize=True)
                    self.write(block.char * self.columns + "\n")
                case Barcode():
                    self._barcode(block)
                case QRCode():
                    self._qr(block.data, block.size_mm)
                case Feed():
                    self.write("\n" * block.lines)
                case Logo():
                    printer.set(align="center")
                    image = Image.open(io.BytesIO(block.png))
                    printer.image(image, impl=self.image_impl, center=False)
                    self.encoder.forget()
        printer.set(align="left", bold=False, normal_textsize=True)
        if receipt.cut:
            printer.cut()
        if receipt.open_drawer:
            printer.cashdraw(2)
        return bytes(printer.output)

    def _text(self, block: Text) -> None:
        width = self.columns // 2 if block.double_width else self.columns
        self.printer.set(
            align=block.align.value,
            bold=block.bold,
            underline=1 if block.underline else 0,
            double_width=block.double_width,
            double_height=block.double_height,
            normal_textsize=not (block.double_width or block.double_height),
        )
        for line in _wrap(printable(block.text, self.printer, self.target.profile), width):
            self.write(line + "\n")

    def _row(self, block: Row) -> None:
        """The left text wraps; the amount is whole, on the last line (its own if need be)."""
        self.printer.set(align="left", bold=block.bold, normal_textsize=True)
        profile = self.target.profile
        right = printable(block.right, self.printer, profile)
        lines = _wrap(printable(block.left, self.printer, profile), self.columns)
        if len(right) > self.columns:  # an absurd amount still prints whole
            lines += _wrap(right, self.columns)
            right = ""
        last = lines[-1]
        if last and len(last) + 1 + len(right) > self.columns:
            lines.append("")
            last = ""
        for line in lines[:-1]:
            self.write(line + "\n")
        self.write(last + " " * (self.columns - len(last) - len(right)) + right + "\n")

    def _qr(self, data: str, size_mm: float) -> None:
        module = max(2, min(16, round(size_mm * DOTS_PER_MM / 29)))
        self.printer.set(align="center")
        self.printer.qr(
            data,
            size=module,
            native=self.native_qr,
            image_arguments={"impl": self.image_impl, "center": False},
        )
        self.encoder.forget()

    def _barcode(self, block: Barcode) -> None:
        self.printer.set(align="center")
        height = max(16, min(255, round(block.height_mm * DOTS_PER_MM)))
        try:
            plan = _plan(block, self.target, native=self.native_barcode)
        except PrinterError:
            if not block.qr_if_too_long:
                raise
            self._qr(block.data, 22)
            return
        if not self.native_barcode:
            self.printer.image(
                barcode_image(block, plan.module, self.target.dpi),
                impl=self.image_impl,
                center=False,
            )
            self.encoder.forget()
            return
        if block.symbology == "EAN13":
            command = b"\x1dk\x43\x0d" + block.data[:13].encode("ascii")
        else:
            data = code128.escpos_data(plan)
            command = b"\x1dk\x49" + bytes((len(data),)) + data
        text = 2 if block.show_text else 0
        self.printer._raw(  # noqa: SLF001
            b"\x1dh"
            + bytes((height,))
            + b"\x1dw"
            + bytes((plan.module,))
            + b"\x1dH"
            + bytes((text,))
            + b"\x1df\x00"
            + command
        )
        self.write("\n")


def _plan(block: Barcode, target: EscposTarget, native: bool) -> code128.Plan:
    """The module width for this barcode on this head (an EAN-13 is 95 modules)."""
    smallest, largest = NATIVE_MODULES if native else (0, 4)
    if block.symbology == "EAN13":
        if not (block.data.isdigit() and len(block.data) == 13):
            raise PrinterError(_("'{data}' is not an EAN-13 code.").format(data=block.data))
        for module in range(largest, max(smallest, 1) - 1, -1):
            if (95 + 2 * code128.QUIET_MODULES) * module <= target.head_dots:
                return code128.Plan(block.data, (), 95, module, code128.QUIET_MODULES * module)
        raise PrinterError(
            _("The EAN-13 '{data}' does not fit on this paper.").format(data=block.data)
        )
    return code128.plan(block.data, target.head_dots, target.dpi, largest, smallest)
