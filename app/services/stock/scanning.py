"""What a scanned (or typed) code means, parsed with established libraries: check digits of
EAN-8/13, UPC-A/E and GTIN-14 by python-stdnum and biip, GS1 element strings (GTIN, batch,
expiry, serial, count, net weight) by biip. A bad code gets words, never an exception.

biip is imported by the first code that needs it (a UPC-E or a GS1 code), or ahead of time
by `load_gs1_reader` on a workstation whose shop keeps lots: at import it builds the GS1
company-prefix tables, ~0.2 s and ~16 MB that a shop selling by EAN alone never needs
(issue 20: start-up and memory)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from stdnum import ean

from app.core.i18n import N_, _

if TYPE_CHECKING:
    from biip.gs1_element_strings import GS1ElementString

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
    serial: str = ""  # GS1 AI 21
    net_weight_g: int | None = None  # GS1 AI 310x (kilograms with x decimals), in grams

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
        return Scan(text, "invalid", error=_("Nothing was scanned."))
    if len(raw) > MAX_LENGTH:
        return Scan(text, "invalid", error=_("That is too long to be a barcode."))
    if any(not (ch.isprintable() or ch == GS) for ch in raw):
        return Scan(
            text,
            "invalid",
            error=_("The scan holds control characters: check the scanner set-up."),
        )
    order = ORDER_NUMBER.match(raw)
    if order:
        number = f"SO-{int(order.group(1)):06d}"
        return Scan(raw, "order", (number,), order_number=number)
    if raw.isascii() and raw.isdigit() and len(raw) in (8, 12, 13, 14):
        if not ean.is_valid(raw):
            return Scan(
                raw,
                "invalid",
                error=_(
                    "{code} has a wrong check digit (it should end in {digit}): scan it "
                    "again or type it."
                ).format(code=raw, digit=ean.calc_check_digit(raw[:-1])),
            )
        return Scan(raw, "gtin", _gtin_forms(raw))
    if (
        raw.isascii() and raw.isdigit() and len(raw) in (6, 7)
    ):  # UPC-E without or with its number system
        import biip

        result = biip.parse(raw)
        if result.upc is not None:
            return Scan(raw, "gtin", _gtin_forms(result.upc.as_upc_a()))
    if _looks_like_gs1(raw) or (raw[:2] in ("01", "02") and raw.isalnum()):
        return _gs1(raw)
    if not raw.isascii():
        return Scan(
            raw,
            "invalid",
            error=_(
                "'{code}' is not a barcode Kestrel knows: check the scanner's keyboard layout."
            ).format(code=raw),
        )
    return Scan(raw, "code", _case_forms(raw))


def _case_forms(raw: str) -> tuple[str, ...]:
    """A code as scanned, then with its case turned round and in capitals: with Caps Lock
    on, a scanner's Shift+S types 's', so 'main-a01-04' is the bin MAIN-A01-04."""
    return tuple(dict.fromkeys((raw, raw.swapcase(), raw.upper())))


def _looks_like_gs1(raw: str) -> bool:
    """A symbology prefix or a group separator says GS1 outright; a long all-digit code that
    starts with AI 01/02 and does not fit a GTIN is one too (a bad date in it is still GS1)."""
    if raw.startswith(GS1_PREFIXES) or GS in raw:
        return True
    return raw[:2] in ("01", "02") and len(raw) > 16 and raw[2:16].isascii() and raw[2:16].isdigit()


def _gs1_refusal(raw: str, error: str) -> Scan:
    """biip's reason in a clerk's words: the AI that did not fit and what was wrong."""
    where = re.search(r"AI \((\d{2,4})\)", error)
    if "date" in error or (where and where.group(1) in ("11", "13", "15", "16", "17")):
        said = _("That GS1 code cannot be read: its date is not a real date. Scan it again.")
    elif "Application Identifier" in error:
        said = _(
            "That GS1 code cannot be read: it holds an application identifier (AI) that "
            "does not exist. Scan it again."
        )
    elif where:
        said = _(
            "That GS1 code cannot be read: the value after AI ({ai}) does not fit that AI. "
            "Scan it again."
        ).format(ai=where.group(1))
    else:
        said = _("That GS1 code cannot be read: it does not follow the GS1 rules. Scan it again.")
    return Scan(raw, "invalid", error=said)


def load_gs1_reader() -> None:
    """Import biip now, on a worker, so the first GS1 scan at the counter does not wait for
    it (start-up calls this where the shop keeps lots)."""
    import biip  # noqa: F401


def _gs1(raw: str) -> Scan:
    import biip

    try:
        result = biip.parse(raw)
    except Exception as exc:  # biip raises its own ParseError family
        return _gs1_refusal(raw, str(exc)) if _looks_like_gs1(raw) else _not_gs1(raw)
    message = result.gs1_message
    if message is None:
        if _looks_like_gs1(raw):
            return _gs1_refusal(raw, result.gs1_message_error or "")
        return _not_gs1(raw)
    return _from_elements(raw, message.element_strings)


def _not_gs1(raw: str) -> Scan:
    if raw.isalnum():
        return Scan(raw, "code", _case_forms(raw))
    return Scan(
        raw, "invalid", error=_("'{code}' is not a GS1 code Kestrel can read.").format(code=raw)
    )


def _from_elements(raw: str, elements: list[GS1ElementString]) -> Scan:
    """The fields Kestrel uses: GTIN (01/02), lot (10), expiry (17; a day of 00 is the
    month's last day, biip's reading), serial (21), count (30/37), net weight (310x)."""
    gtin = batch = serial = ""
    quantity = 1
    expiry = None
    weight_g: int | None = None
    for element in elements:
        ai = element.ai.ai
        if ai in ("01", "02") and element.gtin is not None:
            gtin = element.gtin.value
        elif ai == "10":
            batch = element.value
        elif ai == "17":
            expiry = element.date
        elif ai == "21":
            serial = element.value
        elif ai in ("30", "37"):
            quantity = int(element.value)
        elif ai.startswith("310") and element.decimal is not None:
            weight_g = int((Decimal(element.decimal) * 1000).to_integral_value())
    if not gtin:
        return Scan(raw, "invalid", error=_("The GS1 code carries no product number (GTIN)."))
    if quantity < 1:
        return Scan(raw, "invalid", error=_("The GS1 code carries a count of zero."))
    return Scan(
        raw,
        "gs1",
        _gtin_forms(gtin),
        quantity,
        batch,
        expiry,
        serial=serial,
        net_weight_g=weight_g,
    )


# The scanner set-up check: a test code with the characters keyboard layouts disagree on.
TEST_CODE = "Kz7ya@#5-m"
# What a scanner set for a US keyboard produces on a computer with another layout.
LAYOUTS = (
    (
        N_("French AZERTY"),
        str.maketrans("1234567890azqwm@#-", "&é\"'(-è_çàqwazm23)"),
    ),
    (N_("German QWERTZ"), str.maketrans("yzYZ@#-", 'zyZY"§ß')),
    (N_("UK English"), str.maketrans('@#"', '"£@')),
)


@dataclass(frozen=True)
class ScannerCheck:
    ok: bool
    advice: str


def check_scanner(received: str, ended_with_enter: bool = True) -> ScannerCheck:  # noqa: PLR0911
    """Compare a scan of TEST_CODE with what arrived, and say how to fix the scanner."""
    if not ended_with_enter:
        return ScannerCheck(
            False,
            _(
                "The scanner does not end its codes with Enter: set its "
                "suffix to CR (Enter) in the scanner's manual."
            ),
        )
    if received == TEST_CODE:
        return ScannerCheck(True, _("The scanner works: codes arrive exactly as printed."))
    if not received:
        return ScannerCheck(
            False, _("Nothing arrived: is the scanner plugged in and in keyboard mode?")
        )
    if TEST_CODE in received:
        return ScannerCheck(False, _added(*received.split(TEST_CODE, 1)))
    if received.swapcase() == TEST_CODE:
        return ScannerCheck(
            False,
            _("Upper and lower case are swapped: Caps Lock is on, or the scanner converts case."),
        )
    for name, table in LAYOUTS:
        if TEST_CODE.translate(table) == received:
            return ScannerCheck(
                False,
                _(
                    "The scanner types for a US keyboard but this computer uses {layout}: set "
                    "the scanner's keyboard country to {layout}, or switch it to 'alt-code' / "
                    "numeric keypad mode."
                ).format(layout=_(name)),
            )
    position = next(
        (i for i, (a, b) in enumerate(zip(TEST_CODE, received, strict=False)) if a != b),
        min(len(TEST_CODE), len(received)),
    )
    return ScannerCheck(
        False,
        _(
            "The code arrived as '{received}' instead of '{expected}' (first difference at "
            "character {position}): check the scanner's keyboard country and symbology settings."
        ).format(received=received, expected=TEST_CODE, position=position + 1),
    )


def _added(before: str, after: str) -> str:
    """What a scanner's prefix or suffix adds to each code, in one whole sentence."""
    if before and after:
        text = _(
            "The scanner adds '{before}' before and adds '{after}' after each code: remove its "
            "prefix/suffix in the scanner's set-up."
        )
    elif before:
        text = _(
            "The scanner adds '{before}' before each code: remove its prefix/suffix in the "
            "scanner's set-up."
        )
    else:
        text = _(
            "The scanner adds '{after}' after each code: remove its prefix/suffix in the "
            "scanner's set-up."
        )
    return text.format(before=before, after=after)
