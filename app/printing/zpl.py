"""Label layout -> ZPL II, laid out in dots for the printer's own resolution (203 or 300
dpi) so no driver scales anything. Text is UTF-8 (^CI28); field data is hex-escaped (^FH)
so a '^' or '~' in a customer's name cannot break the label. Text blocks wrap and are cut
to their box (^FB), so a 500-character name never overflows the label."""

from __future__ import annotations

from app.printing.layout import Label, LabelBarcode, LabelBox, LabelQR, LabelText
from app.services.errors import PrinterError

SUPPORTED_DPI = (203, 300, 600)


def dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def field_data(text: str) -> str:
    """^FH^FD...^FS with the characters ZPL treats as commands escaped as _hex."""
    return f"^FH^FD{_escape(text)}^FS"


def render_label(label: Label, dpi: int = 203) -> bytes:
    if dpi not in SUPPORTED_DPI:
        raise PrinterError(f"A label printer of {dpi} dpi is not supported (203, 300 or 600).")
    width, height = dots(label.width_mm, dpi), dots(label.height_mm, dpi)
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    for item in label.items:
        match item:
            case LabelText():
                out.append(_text(item, label, dpi))
            case LabelBarcode():
                out.append(_barcode(item, dpi))
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


def _text(item: LabelText, label: Label, dpi: int) -> str:
    x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
    h = max(10, dots(item.height_mm, dpi))
    box = item.width_mm or (label.width_mm - item.x_mm - 1)
    font = f"^A0N,{h},{h}" if not item.bold else f"^A0N,{h},{round(h * 1.1)}"
    width = max(1, dots(box, dpi))
    block = f"^FB{width},{max(1, item.max_lines)},0,L,0"
    # ^FB already cuts what does not fit; cutting the text too keeps the job small.
    room = max(4, round(width / (h * 0.45)) * max(1, item.max_lines))
    text = item.text if len(item.text) <= room else item.text[: room - 1] + "…"
    return f"^FO{x},{y}{font}{block}{field_data(text)}"


def _barcode(item: LabelBarcode, dpi: int) -> str:
    x, y = dots(item.x_mm, dpi), dots(item.y_mm, dpi)
    module = max(1, min(10, dots(item.module_mm, dpi)))
    h = max(10, dots(item.height_mm, dpi))
    text = "Y" if item.show_text else "N"
    if item.symbology == "EAN13":
        digits = item.data[:12]
        if not (digits.isdigit() and len(digits) == 12):
            raise PrinterError(f"'{item.data}' is not an EAN-13 code.")
        return f"^FO{x},{y}^BY{module}^BEN,{h},{text},N^FD{digits}^FS"
    if not item.data.isascii():
        raise PrinterError("A Code 128 barcode holds plain ASCII only.")
    return f"^FO{x},{y}^BY{module}^BCN,{h},{text},N,N{field_data(item.data)}"
