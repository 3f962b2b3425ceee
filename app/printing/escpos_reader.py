"""Reading ESC/POS back: a walker over the command stream that yields what a printer would
do with it. The emulator turns it into text; the preview turns it into a picture of the
paper. Only the commands Kestrel and python-escpos send are understood; others are skipped
by their documented length."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class TextRun:
    text: str
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    align: str = "left"


@dataclass(frozen=True)
class RasterImage:
    image: Image.Image


@dataclass(frozen=True)
class QR:
    data: str
    module: int = 3


@dataclass(frozen=True)
class BarcodeRun:
    data: str
    symbology: str
    module: int = 2  # GS w: dots per module
    height: int = 162  # GS h: dots
    show_text: bool = False  # GS H: human-readable text below


@dataclass(frozen=True)
class Mark:
    what: str  # "cut", "drawer", "image"


Event = TextRun | RasterImage | QR | BarcodeRun | Mark
ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}


def _codec(name: str) -> str:
    name = name.replace("_", "-")
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp437"
    return name


def _code128(data: bytes) -> str:
    """GS k 73 data: {A/{B/{C code sets; in C each byte is a pair of digits."""
    out, charset, i = [], "B", 0
    while i < len(data):
        if data[i] == 0x7B and i + 1 < len(data) and data[i + 1] in b"ABCS{1234":
            if data[i + 1] in b"ABC":
                charset = chr(data[i + 1])
            elif data[i + 1] == 0x7B:
                out.append("{")
            i += 2
            continue
        out.append(f"{data[i]:02d}" if charset == "C" else chr(data[i]))
        i += 1
    return "".join(out)


class _State:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """ESC @: the printer's power-on state."""
        self.encoding = "cp437"
        self.bold = False
        self.double_width = False
        self.double_height = False
        self.align = "left"
        self.qr_module = 3
        self.qr_data = ""
        self.bar_module = 3
        self.bar_height = 162
        self.bar_text = 0


def walk(payload: bytes, codepages: dict[int, str] | None = None) -> Iterator[Event]:
    """What a printer does with `payload`. `ESC t n` selects the page Epson documents for
    n (EPSON_PAGES) unless a table is given."""
    from app.printing.codepages import EPSON_PAGES

    codepages = EPSON_PAGES if codepages is None else codepages
    st = _State()
    i, n = 0, len(payload)
    while i < n:
        b = payload[i]
        if b == 0x1B and i + 1 < n:  # ESC
            i, events = _esc(payload, i, st, codepages)
            yield from events
        elif b == 0x1D and i + 1 < n:  # GS
            i, events = _gs(payload, i, st)
            yield from events
        elif b in (0x0A, 0x0D) or b >= 0x20:
            j = i
            while j < n and (payload[j] in (0x0A, 0x0D) or payload[j] >= 0x20):
                j += 1
            text = payload[i:j].decode(st.encoding, errors="replace")
            yield TextRun(text, st.bold, st.double_width, st.double_height, st.align)
            i = j
        else:
            i += 1


def _esc(  # noqa: PLR0911
    payload: bytes, i: int, st: _State, codepages: dict[int, str]
) -> tuple[int, list[Event]]:
    """One ESC command at `i`: where the next command starts, and what it printed."""
    n = len(payload)
    arg = payload[i + 2] if i + 2 < n else 0
    cmd = payload[i + 1]
    if cmd == ord("@"):
        st.reset()
        return i + 2, []
    if cmd == ord("t"):
        page = codepages.get(arg)  # a page the table lacks reads as U+FFFD
        st.encoding = _codec(page) if page else "ascii"
    elif cmd == ord("!"):
        st.bold, st.double_height, st.double_width = (
            bool(arg & 8),
            bool(arg & 16),
            bool(arg & 32),
        )
    elif cmd == ord("E"):
        st.bold = bool(arg)
    elif cmd == ord("a"):
        st.align = ALIGN.get(arg, "left")
    elif cmd == ord("d"):
        return i + 3, [TextRun("\n" * arg)]
    elif cmd == ord("p"):
        return i + 5, [Mark("drawer")]
    elif cmd == ord("*") and i + 4 < n:  # column bit image: skip its data
        width = payload[i + 3] + 256 * payload[i + 4]
        return i + 5 + width * (3 if arg in (32, 33) else 1), [Mark("image")]
    return i + 3, []


def _gs(payload: bytes, i: int, st: _State) -> tuple[int, list[Event]]:  # noqa: PLR0911
    """One GS command at `i`: where the next command starts, and what it printed."""
    n = len(payload)
    arg = payload[i + 2] if i + 2 < n else 0
    cmd = payload[i + 1]
    if cmd == ord("!"):
        st.double_width, st.double_height = bool(arg & 0xF0), bool(arg & 0x0F)
    elif cmd == ord("w"):
        st.bar_module = arg
    elif cmd == ord("h"):
        st.bar_height = arg
    elif cmd == ord("H"):
        st.bar_text = arg
    elif cmd == ord("(") and arg == ord("k") and i + 4 < n:
        return _gs_qr(payload, i, st)
    elif cmd == ord("k"):
        return _gs_barcode(payload, i, st)
    elif cmd == ord("V"):
        return (i + 4 if arg in (65, 66) else i + 3), [Mark("cut")]
    elif cmd == ord("v") and i + 7 < n:  # GS v 0: raster image
        return _gs_raster(payload, i)
    return i + 3, []


def _gs_qr(payload: bytes, i: int, st: _State) -> tuple[int, list[Event]]:
    """GS ( k: the QR module size, its data, or print it."""
    length = payload[i + 3] + 256 * payload[i + 4]
    body = payload[i + 5 : i + 5 + length]
    events: list[Event] = []
    if body[:3] == b"1C":
        st.qr_module = body[2] if len(body) > 2 else 3
    elif body[:3] == b"1P0":
        st.qr_data = body[3:].decode("latin-1")
    elif body[:3] == b"1Q0":
        events.append(QR(st.qr_data, st.qr_module))
    return i + 5 + length, events


def _gs_barcode(payload: bytes, i: int, st: _State) -> tuple[int, list[Event]]:
    """GS k: a barcode, its data either counted (kind 65 and up) or NUL-ended."""
    n = len(payload)
    kind = payload[i + 2] if i + 2 < n else 0
    if kind >= 65 and i + 3 < n:
        length = payload[i + 3]
        data = payload[i + 4 : i + 4 + length]
        i += 4 + length
    else:
        end = payload.find(b"\x00", i + 3)
        end = n if end < 0 else end
        data = payload[i + 3 : end]
        i = end + 1
    symbology = "EAN13" if kind in (2, 67) else "CODE128"
    text = _code128(data) if kind == 73 else data.decode("latin-1")
    return i, [BarcodeRun(text, symbology, st.bar_module, st.bar_height, st.bar_text in (2, 3))]


def _gs_raster(payload: bytes, i: int) -> tuple[int, list[Event]]:
    """GS v 0: a raster image; one cut short (or not ESC/POS at all) ends the walk."""
    width = payload[i + 4] + 256 * payload[i + 5]
    rows = payload[i + 6] + 256 * payload[i + 7]
    data = payload[i + 8 : i + 8 + width * rows]
    if len(data) < width * rows:
        return len(payload), [Mark("image")]
    image = Image.frombytes("1", (width * 8, rows), bytes(x ^ 0xFF for x in data))
    return i + 8 + width * rows, [RasterImage(image)]


def as_text(payload: bytes, codepages: dict[int, str] | None = None) -> str:
    """The job as text: QR codes and barcodes as [QR ...] / [BARCODE ...]."""
    out: list[str] = []
    for event in walk(payload, codepages):
        match event:
            case TextRun():
                out.append(event.text)
            case QR():
                out.append(f"[QR {event.data}]\n")
            case BarcodeRun():
                out.append(f"[BARCODE {event.data}]\n")
            case RasterImage():
                out.append("[IMAGE]\n")
            case Mark():
                out.append(f"[{event.what.upper()}]\n")
    return "".join(out)
