"""Label layout -> ZPL II, laid out in dots for the printer's own resolution (203, 300 or
600 dpi) so no driver scales anything. Text is UTF-8 (^CI28); field data is hex-escaped
(^FH) so a '^' or '~' in a customer's name cannot break the label. Text is wrapped by
measure (textfit.py) and sent as the lines it fits in, because ^FB prints what exceeds
its line count over its last line. Barcodes spell their Code 128 subsets and get the
widest module that fits (barcodes.py), or are refused before printing."""

from __future__ import annotations

from app.core.errors import PrinterError
from app.core.i18n import N_, _
from app.printing import code128, textfit
from app.printing.barcodes import label_barcode_plan
from app.printing.layout import Label, LabelBarcode, LabelBox, LabelQR, LabelText

# What the printer settings say of a ZPL printer's text (see textfit.glyphs).
RESIDENT_FONT_NOTE = N_(
    "ZPL printers print text in their resident font 0, which has Western European "
    "letters (Latin-1), € and £. Other letters (Polish, Czech, Romanian, Greek, "
    "Cyrillic) are printed spelled in plain letters (ł as l); for those, choose ESC/POS "
    "raster, which prints with Kestrel's own font (DejaVu Sans)."
)

SUPPORTED_DPI = (203, 300, 600)


def dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def field_data(text: str) -> str:
    """^FH^FD...^FS with the characters ZPL treats as commands escaped as _hex."""
    return f"^FH^FD{_escape(text)}^FS"


def render_label(label: Label, dpi: int = 203) -> bytes:
    if dpi not in SUPPORTED_DPI:
        raise PrinterError(
            _("A label printer of {dpi} dpi is not supported (203, 300 or 600).").format(dpi=dpi)
        )
    width, height = dots(label.width_mm, dpi), dots(label.height_mm, dpi)
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    for item in label.items:
        match item:
            case LabelText():
                out.append(_text(item, label, dpi))
            case LabelBarcode():
                out.append(_barcode(item, label, dpi))
            case LabelQR():
                magnification = max(1, min(10, dots(item.module_mm, dpi)))
                out.append(
                    f"^FO{dots(item.x_mm, dpi)},{dots(item.y_mm, dpi)}"
                    f"^BQN,2,{magnification}^FH^FDMA,{_escape(item.data)}^FS"
                )
            case LabelBox():
                t = max(1, dots(item.thickness_mm, dpi))
                w, h = max(t, dots(item.width_mm, dpi)), max(t, dots(item.height_mm, dpi))
                out.append(f"^FO{dots(item.x_mm, dpi)},{dots(item.y_mm, dpi)}^GB{w},{h},{t}^FS")
    out.append(f"^PQ{max(1, label.copies)}")
    out.append("^XZ")
    return ("\n".join(out) + "\n").encode("utf-8")


def _escape(text: str) -> str:
    return "".join(f"_{ord(c):02X}" if c in "_^~\\" else c for c in text)


def text_box(item: LabelText, label: Label, dpi: int) -> tuple[int, int]:
    """(width, font size) of a text item in dots."""
    box = item.width_mm or (label.width_mm - item.x_mm - 1)
    return max(1, dots(box, dpi)), max(10, dots(item.height_mm, dpi))


def _text(item: LabelText, label: Label, dpi: int) -> str:
    x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
    width, h = text_box(item, label, dpi)
    # measured in DejaVu Sans Bold, wider than the printer's condensed font 0
    fitted = textfit.fit(textfit.glyphs(item.text, zpl=True), width, h, item.max_lines, True)
    size = fitted.size
    font = f"^A0N,{size},{size}"
    block = f"^FB{width},{len(fitted.lines)},{fitted.pitch - size},L,0"
    data = "\\&".join(_escape(line) for line in fitted.lines)
    return f"^FO{x},{y}{font}{block}^FH^FD{data}^FS"


def _barcode(item: LabelBarcode, label: Label, dpi: int) -> str:
    plan = label_barcode_plan(item, label, dpi)
    x, y = dots(item.x_mm, dpi) + plan.quiet, dots(item.y_mm, dpi)
    h = max(10, dots(item.height_mm, dpi))
    text = "Y" if item.show_text else "N"
    if item.symbology == "EAN13":
        return f"^FO{x},{y}^BY{plan.module}^BEN,{h},{text},N^FD{item.data[:12]}^FS"
    return f"^FO{x},{y}^BY{plan.module}^BCN,{h},{text},N,N,N{field_data(code128.zpl_data(plan))}"
