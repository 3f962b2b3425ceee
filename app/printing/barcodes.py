"""Where a label's barcode goes and how wide its modules are: one decision for the ZPL
and the raster renderer, so what the printer draws is what the tests decode."""

from __future__ import annotations

from app.core.errors import PrinterError
from app.core.i18n import _
from app.printing import code128
from app.printing.layout import Label, LabelBarcode

EAN_MODULES = 95


def _dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def label_barcode_plan(item: LabelBarcode, label: Label, dpi: int) -> code128.Plan:
    """The widest module up to the item's wish that fits its room with both quiet zones;
    PrinterError when the code cannot be printed readably on this label."""
    room_mm = item.width_mm or (label.width_mm - item.x_mm - 1)
    room = _dots(room_mm, dpi)
    largest = max(1, _dots(item.module_mm, dpi))
    if item.symbology != "EAN13":
        return code128.plan(item.data, room, dpi, largest)
    digits = item.data
    if not (digits.isdigit() and len(digits) == 13):
        raise PrinterError(_("'{data}' is not an EAN-13 code.").format(data=item.data))
    floor = code128.min_module(dpi)
    for module in range(max(largest, floor), floor - 1, -1):
        if (EAN_MODULES + 2 * code128.QUIET_MODULES) * module <= room:
            return code128.Plan(digits, (), EAN_MODULES, module, code128.QUIET_MODULES * module)
    raise PrinterError(_("The EAN-13 '{digits}' does not fit on this label.").format(digits=digits))
