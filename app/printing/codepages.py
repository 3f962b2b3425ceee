"""Which ESC/POS code page prints which character, by the printer makers' own numbering.

python-escpos's profiles name a table for each `ESC t n` slot, and its encoder picks the
first slot whose *Python* codec has a character: € and £ then went out in slot 15
(ISO-8859-7, Greek) and ö in slot 1 of printers whose slot 1 is a Japanese double-byte
page. Here a slot is used only where the profile's claim agrees with the page Epson
documents for that number, and only pages meant for the text are tried, Western ones
first (PC858/WPC1252 for €, PC850/PC437 for letters). A character no such page has is
transliterated (€ -> EUR, ł -> l, – -> -) or printed as '?', never as a wrong glyph.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# ESC t n as Epson's ESC/POS reference documents it, as Python codecs (pages Python has
# no codec for are left out: nothing is ever sent in them).
EPSON_PAGES: dict[int, str] = {
    0: "cp437",
    2: "cp850",
    3: "cp860",
    4: "cp863",
    5: "cp865",
    13: "cp857",
    14: "cp737",
    15: "iso8859_7",
    16: "cp1252",
    17: "cp866",
    18: "cp852",
    19: "cp858",
    32: "cp720",
    33: "cp775",
    34: "cp855",
    35: "cp861",
    36: "cp862",
    37: "cp864",
    38: "cp869",
    39: "iso8859_2",
    40: "iso8859_15",
    44: "cp1125",
    45: "cp1250",
    46: "cp1251",
    47: "cp1253",
    48: "cp1254",
    49: "cp1255",
    51: "cp1257",
    52: "cp1258",
}

# The order pages are tried in for a character the current page lacks. Page 15 is not
# here: printers' ISO-8859-7 tables differ from Python's (no € at 0xA4).
PREFERENCE = (0, 19, 16, 2, 40, 18, 45, 39, 17, 46, 44, 14, 47, 13, 48, 33, 51, 3, 4, 5, 35)

# Transliterate only letters, marks, punctuation and money signs: anyascii spells symbols
# and emoji as ':snowman2:', which is worse than '?'.
_SPELLED = ("L", "M", "P", "Sc", "Nd", "Nl", "Zs")


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name.lower().replace("-", "_")).name
    except LookupError:
        return ""


@lru_cache(maxsize=32)
def profile_pages(profile: str) -> tuple[int, ...]:
    """The slots of `profile` that really are the Epson page of that number, best first."""
    from escpos.printer import Dummy

    claimed = {
        int(slot): name for name, slot in Dummy(profile=profile).profile.get_code_pages().items()
    }
    agreed = {
        slot
        for slot, name in claimed.items()
        if slot in EPSON_PAGES and _codec(name) == _codec(EPSON_PAGES[slot])
    }
    return tuple(slot for slot in PREFERENCE if slot in agreed) or (0,)


def _encodes(slot: int, char: str) -> bytes | None:
    try:
        data = char.encode(EPSON_PAGES[slot])
    except UnicodeEncodeError:
        return None
    return data if len(data) == 1 else None


@lru_cache(maxsize=4096)
def _printable_char(char: str, pages: tuple[int, ...]) -> str:
    if char.isascii():
        return char if char.isprintable() or char == "\n" else "?"
    if any(_encodes(slot, char) for slot in pages):
        return char
    if unicodedata.category(char).startswith(_SPELLED):
        spelled = anyascii(char)
        if spelled and spelled.isprintable() and ":" not in spelled:
            return spelled
    return "?"


def printable(text: str, pages: tuple[int, ...]) -> str:
    """`text` as it will print: what a page has stays, the rest is spelled in ASCII."""
    return "".join(_printable_char(char, pages) for char in text)


class Encoder:
    """Text -> bytes with `ESC t n` switches; remembers the page the printer is in."""

    def __init__(self, pages: tuple[int, ...]) -> None:
        self.pages = pages
        self.current = 0  # ESC @ selects page 0

    def reset(self) -> None:
        self.current = 0

    def forget(self) -> None:
        """python-escpos wrote text of its own (it may have switched pages): the next
        character outside ASCII selects its page again."""
        self.current = -1

    def encode(self, text: str) -> bytes:
        out = bytearray()
        for char in printable(text, self.pages):
            if char.isascii():
                out += char.encode("ascii")
                continue
            data = _encodes(self.current, char) if self.current in EPSON_PAGES else None
            if data is None:
                slot = next(s for s in self.pages if _encodes(s, char))
                out += bytes((0x1B, 0x74, slot))
                self.current = slot
                data = _encodes(slot, char)
            out += data or b"?"
        return bytes(out)
