"""Text fitted to a box by the font's real width at the label's dpi: words wrap, at most
`max_lines` lines, an ellipsis where the rest is cut. Counting characters let a long
street overwrite the postcode below it; measuring cannot.

ZPL printers draw with their resident font 0 (CG Triumvirate Bold Condensed), narrower
than DejaVu Sans Bold, so lines measured with the latter never run past the box there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anyascii import anyascii

from app.printing.fonts import font, has_glyph

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

ELLIPSIS = "…"
LINE_SPACING = 1.25  # line pitch as a multiple of the item's height
# DejaVu's ink reaches 0.19 em above a line's origin (Ǘ) and 1.21 em below it (҉): the
# face is drawn at 0.88 of the item's height, 0.2 em down, so every glyph stays in its line.
FACE_SCALE = 0.88
TOP_PAD = 0.2
# What ZPL font 0 with ^CI28 prints: Latin-1 and the few CP1252 extras; the rest is spelled.
ZPL_EXTRA = set("€ŠšŽžŒœŸ–—‘’“”…•")


@dataclass(frozen=True)
class Fitted:
    lines: tuple[str, ...]
    size: int  # font size in dots
    pitch: int  # dots from one line's top to the next
    pad: int = 0  # dots from a line's top to where its glyphs are drawn

    @property
    def height(self) -> int:
        return self.pitch * len(self.lines)


def measure(face: FreeTypeFont, line: str) -> int:
    """Dots from the line's first ink (or its origin) to its last ink (or its advance)."""
    if not line:
        return 0
    left, _top, right, _bottom = face.getbbox(line)
    # Pillow types the box as floats; FreeType gives whole pixels, so int() keeps the value
    return int(max(right, round(face.getlength(line) + 0.5)) - min(0, left))


def offset(face: FreeTypeFont, line: str) -> int:
    """How far right to draw a line so a glyph that overhangs its origin stays in the box."""
    return -int(min(0, face.getbbox(line)[0])) if line else 0


def glyphs(text: str, zpl: bool = False) -> str:
    """`text` with every character the font cannot draw spelled in ASCII (or '?')."""
    out = []
    for char in text:
        ok = (ord(char) < 256 or char in ZPL_EXTRA) if zpl else has_glyph(char)
        if char == "\n" or (char.isprintable() and ok):
            out.append(char)
        else:
            spelled = anyascii(char)
            out.append(spelled if spelled.isprintable() and ":" not in spelled else "?")
    return "".join(out)


def fit(text: str, width: int, size: int, max_lines: int, bold: bool = False) -> Fitted:
    """Lines of `text` that each measure at most `width` dots, `size` dots apart; each
    line of `text` (an address line) starts a line of its own."""
    max_lines = max(1, max_lines)
    pitch = round(size * LINE_SPACING)
    size = max(6, int(size * FACE_SCALE))
    lines: list[str] = []
    paragraphs = [p for p in text.split("\n") if p.strip()] or [""]
    for n, paragraph in enumerate(paragraphs):
        part = _fit_paragraph(paragraph, width, size, max_lines - len(lines), bold)
        lines += part.lines
        if len(lines) >= max_lines:
            if n + 1 < len(paragraphs) and not lines[-1].endswith(ELLIPSIS):
                lines[-1] = _ellipsis(lines[-1], width, font(size, bold))
            break
    return Fitted(tuple(lines), size, pitch, math.ceil(size * TOP_PAD))


def _ellipsis(line: str, width: int, face: FreeTypeFont) -> str:
    while line and measure(face, line.rstrip() + ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


def _fit_paragraph(text: str, width: int, size: int, max_lines: int, bold: bool) -> Fitted:
    face = font(size, bold)

    def fits(line: str) -> bool:
        return measure(face, line) <= width

    lines: list[str] = []
    words = text.split()
    current = ""
    cut = False
    while words:
        word = words.pop(0)
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
            words.insert(0, word)
        else:  # one word wider than the box: break it
            n = len(word)
            while n > 1 and not fits(word[:n]):
                n -= 1
            lines.append(word[:n])
            if word[n:]:
                words.insert(0, word[n:])
        if len(lines) == max_lines:
            cut = bool(words or current)
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    lines = lines[:max_lines] or [""]
    if cut:
        lines[-1] = _ellipsis(lines[-1], width, face)
    return Fitted(tuple(lines), size, round(size * LINE_SPACING))
