"""What a scanned (or typed) code means, parsed with established libraries: check digits of
EAN-8/13, UPC-A/E and GTIN-14 by python-stdnum and biip, GS1 element strings (GTIN, batch,
expiry, count) by biip. A bad code gets words, never an exception."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import biip
from stdnum import ean

ORDER_NUMBER = re.compile(r"^SO-?(\d{1,12})$", re.IGNORECASE)
GS1_PREFIXES = ("]C1", "]e0", "]d2", "]Q3", "]J1")
GS = "\x1d"
MAX_LENGTH = 200


@dataclass(frozen=True)
class Scan:
    raw: str
    kind: str  # "gtin", "gs1", "order", "code" or "invalid"
    codes: tuple[str, ...] = ()  # what to look up, most likely first
    quantity: int = 1
    batch: str = ""
    expiry: date | None = None
    order_number: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != "invalid"


def _gtin_forms(gtin: str) -> tuple[str, ...]:
    """A GTIN as it may be stored: as scanned, and as EAN-13 / UPC-A / EAN-8 without the
    leading zeros a GTIN-14 carries."""
    forms = [gtin]
    stripped = gtin
    while len(stripped) > 8 and stripped.startswith("0"):
        stripped = stripped[1:]
        if len(stripped) in (13, 12, 8):
            forms.append(stripped)
    if len(gtin) == 12:
        forms.append("0" + gtin)  # UPC-A printed as EAN-13
    return tuple(dict.fromkeys(forms))


def parse_scan(text: str) -> Scan:  # noqa: PLR0911 (one return per kind of code)
    raw = text.strip("\r\n\t ")
    if not raw:
        return Scan(text, "invalid", error="Nothing was scanned.")
    if len(raw) > MAX_LENGTH:
        return Scan(text, "invalid", error="That is too long to be a barcode.")
    if any(not (ch.isprintable() or ch == GS) for ch in raw):
        return Scan(
            text, "invalid", error="The scan holds control characters: check the scanner set-up."
        )
    order = ORDER_NUMBER.match(raw)
    if order:
        number = f"SO-{int(order.group(1)):06d}"
        return Scan(raw, "order", (number,), order_number=number)
    if raw.isdigit() and len(raw) in (8, 12, 13, 14):
        if not ean.is_valid(raw):
            return Scan(
                raw,
                "invalid",
                error=f"{raw} has a wrong check digit (it should end in "
                f"{ean.calc_check_digit(raw[:-1])}): scan it again or type it.",
            )
        return Scan(raw, "gtin", _gtin_forms(raw))
    if raw.isdigit() and len(raw) in (6, 7):  # UPC-E without or with its number system
        result = biip.parse(raw)
        if result.upc is not None:
            return Scan(raw, "gtin", _gtin_forms(result.upc.as_upc_a()))
    if raw.startswith(GS1_PREFIXES) or GS in raw or (raw[:2] in ("01", "02") and raw.isalnum()):
        return _gs1(raw)
    if not raw.isascii():
        return Scan(
            raw,
            "invalid",
            error=f"'{raw}' is not a barcode Kestrel knows: check the scanner's keyboard layout.",
        )
    return Scan(raw, "code", (raw,))


def _gs1(raw: str) -> Scan:
    try:
        message = biip.parse(raw).gs1_message
    except Exception:  # biip raises its own ParseError family
        message = None
    if message is None:
        return (
            Scan(raw, "code", (raw,))
            if raw.isalnum()
            else Scan(raw, "invalid", error=f"'{raw}' is not a GS1 code Kestrel can read.")
        )
    gtin = batch = ""
    quantity = 1
    expiry = None
    for element in message.element_strings:
        ai = element.ai.ai
        if ai in ("01", "02") and element.gtin is not None:
            gtin = element.gtin.value
        elif ai == "10":
            batch = element.value
        elif ai == "17":
            expiry = element.date
        elif ai in ("30", "37"):
            quantity = int(element.value)
    if not gtin:
        return Scan(raw, "invalid", error="The GS1 code carries no product number (GTIN).")
    if quantity < 1:
        return Scan(raw, "invalid", error="The GS1 code carries a count of zero.")
    return Scan(raw, "gs1", _gtin_forms(gtin), quantity, batch, expiry)
