"""Code 128 sized to the space it must fit: the symbol (with subset C for digit runs) from
python-barcode's encoder, and the widest module that fits with both quiet zones.

ESC/POS, ZPL and the raster renderer all draw from one plan, so the bars a printer makes
natively are the bars the preview and the tests decode. A code that does not fit even at
the printer's narrowest readable module is refused before printing, never clipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from app.core.errors import PrinterError
from app.core.i18n import _

if TYPE_CHECKING:
    from barcode.codex import Code128

QUIET_MODULES = 10  # each side, as ISO/IEC 15417 asks
MIN_MODULE_MM = 0.19  # about 7.5 mil: what general-purpose scanners still read
STOP_MODULES = 13
SYMBOL_MODULES = 11
_START = {103: "A", 104: "B", 105: "C"}
# code-set switches, per current set (in C, 99 is the digits "99"; in B, 100 is FNC4)
_SWITCH = {"A": {99: "C", 100: "B"}, "B": {99: "C", 101: "A"}, "C": {100: "B", 101: "A"}}


@dataclass(frozen=True)
class Plan:
    data: str
    segments: tuple[tuple[str, str], ...]  # (code set, its characters), in order
    modules: int  # bars and spaces, start to stop, without quiet zones
    module: int  # dots per module
    quiet: int  # dots of quiet zone each side

    @property
    def width(self) -> int:
        """Dots from the first quiet zone to the last."""
        return self.modules * self.module + 2 * self.quiet


def min_module(dpi: int) -> int:
    """The narrowest module in whole dots at `dpi` that scanners still read."""
    return max(1, math.ceil(MIN_MODULE_MM * dpi / 25.4 - 1e-9))


@lru_cache(maxsize=512)
def segments(data: str) -> tuple[tuple[tuple[str, str], ...], int]:
    """The code sets python-barcode chose (C for even digit runs) and the module count."""
    import barcode

    if not data or not data.isascii():
        raise PrinterError(
            _("'{data}' cannot be a Code 128 barcode (plain ASCII only).").format(data=data)
        )
    code = cast("Code128", barcode.get("code128", data))
    symbols = code._build()  # noqa: SLF001 (its symbol list)
    parts: list[list[str]] = []
    charset = ""
    for value in symbols:
        if not parts and value in _START:
            charset = _START[value]
            parts.append([charset, ""])
        elif value in _SWITCH[charset]:
            charset = _SWITCH[charset][value]
            parts.append([charset, ""])
        elif charset == "C":
            parts[-1][1] += f"{value:02d}"
        elif charset == "B":
            parts[-1][1] += chr(value + 32)
        else:  # A: controls and upper case
            parts[-1][1] += chr(value + 32) if value < 64 else chr(value - 64)
    modules = (len(symbols) + 1) * SYMBOL_MODULES + STOP_MODULES  # +1: the check symbol
    return tuple((s, t) for s, t in parts if t or s), modules


def plan(data: str, room: int, dpi: int, largest: int = 10, smallest: int = 0) -> Plan:
    """The widest module (at most `largest` dots) at which `data` with its quiet zones
    fits in `room` dots; PrinterError when even the narrowest readable one does not."""
    parts, modules = segments(data)
    floor = max(smallest, min_module(dpi))
    for module in range(largest, floor - 1, -1):
        if (modules + 2 * QUIET_MODULES) * module <= room:
            return Plan(data, parts, modules, module, QUIET_MODULES * module)
    need = (modules + 2 * QUIET_MODULES) * floor * 25.4 / dpi
    raise PrinterError(
        _(
            "The barcode '{data}' needs {need:.0f} mm but only {room:.0f} mm fit: it is too "
            "long to print readably here."
        ).format(data=data, need=need, room=room * 25.4 / dpi)
    )


def escpos_data(p: Plan) -> bytes:
    """Data for GS k 73 (Code 128): each code set as {A/{B/{C, subset C as pair values."""
    out = bytearray()
    for charset, text in p.segments:
        out += b"{" + charset.encode()
        if charset == "C":
            out += bytes(int(text[i : i + 2]) for i in range(0, len(text), 2))
        else:
            out += text.replace("{", "{{").encode("ascii")
    return bytes(out)


_ZPL_START = {"A": ">9", "B": ">:", "C": ">;"}
_ZPL_SWITCH = {"A": ">7", "B": ">6", "C": ">5"}


def zpl_data(p: Plan) -> str:
    """Field data for ^BC in mode N with the subsets spelled out (>: start B, >5 to C)."""
    out = []
    for n, (charset, text) in enumerate(p.segments):
        out.append((_ZPL_START if n == 0 else _ZPL_SWITCH)[charset])
        out.append(text.replace(">", "><"))
    return "".join(out)
