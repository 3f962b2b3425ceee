"""The bundled font (DejaVu Sans, resources/fonts): one face for PDFs, raster labels and
the preview, with Latin (ą ę ń ś ź ż ě ř ů ș ț ă ł), Greek and Cyrillic. ReportLab's
Bitstream Vera lacks most of those and printed "Łód□"."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from app import paths

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"


def font_path(bold: bool = False) -> Path:
    """Where the bundled face is, in a checkout or in the PyInstaller bundle."""
    return paths.resources_dir() / "fonts" / (BOLD if bold else REGULAR)


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), size)


def has_glyph(char: str, bold: bool = False) -> bool:
    """True when the bundled face draws `char` (not the empty box of a missing glyph)."""
    return _cmap(bold).get(ord(char)) is not None


@lru_cache(maxsize=2)
def _cmap(bold: bool) -> dict[int, str]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return dict(TTFontFile(str(font_path(bold))).charToGlyph)
