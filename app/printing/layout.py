"""The document model. A receipt is a column of blocks; a label places items in millimetres.

Builders (receipts.py, labels.py) fill these from frozen service rows; renderers turn them
into printer bytes. Nothing here knows about a printer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double_width: bool = False
    double_height: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Row:
    """An item-price row: the left text wraps, the right text stays on the last line."""

    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class Barcode:
    data: str
    symbology: str = "CODE128"  # or "EAN13"
    height_mm: float = 10.0
    show_text: bool = True
    qr_if_too_long: bool = False  # a code too long for bars on this paper prints as a QR


@dataclass(frozen=True)
class QRCode:
    data: str
    size_mm: float = 25.0


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Logo:
    png: bytes


Block = Text | Row | Rule | Barcode | QRCode | Feed | Logo


@dataclass(frozen=True)
class Receipt:
    blocks: tuple[Block, ...]
    cut: bool = True
    open_drawer: bool = False


@dataclass(frozen=True)
class LabelText:
    x_mm: float
    y_mm: float
    text: str
    height_mm: float = 3.0
    width_mm: float = 0.0  # 0: to the label's right edge
    max_lines: int = 1
    bold: bool = False


@dataclass(frozen=True)
class LabelBarcode:
    x_mm: float
    y_mm: float
    data: str
    symbology: str = "CODE128"
    height_mm: float = 10.0
    module_mm: float = 0.25  # the widest module wanted; narrower when the code is long
    show_text: bool = True
    width_mm: float = 0.0  # room for bars and quiet zones; 0: to 1 mm from the right edge


@dataclass(frozen=True)
class LabelQR:
    x_mm: float
    y_mm: float
    data: str
    module_mm: float = 0.5


@dataclass(frozen=True)
class LabelBox:
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float
    thickness_mm: float = 0.3


LabelItem = LabelText | LabelBarcode | LabelQR | LabelBox


@dataclass(frozen=True)
class Label:
    width_mm: float
    height_mm: float
    items: tuple[LabelItem, ...] = field(default_factory=tuple)
    copies: int = 1
