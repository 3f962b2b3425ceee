"""What a barcode may be: a GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with a right check digit
(python-stdnum), else any plain printable code, printed as Code 128."""

from __future__ import annotations

from stdnum import ean

from app.core.errors import ValidationError
from app.core.i18n import _
from app.core.validation import clean_text

GTIN_LENGTHS = (8, 12, 13, 14)


def validate_barcode(code: str) -> tuple[str, str]:
    """(clean code, symbology). GTINs must carry a right check digit (python-stdnum)."""
    code = clean_text(code, "Barcode", max_length=64, required=True).replace(" ", "")
    if code.isdigit() and len(code) in GTIN_LENGTHS:
        if not ean.is_valid(code):
            raise ValidationError(
                _(
                    "{code} looks like an EAN/UPC code but its check digit is wrong (it "
                    "should end in {value})."
                ).format(code=code, value=ean.calc_check_digit(code[:-1])),
                "barcode",
            )
        return code, {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}[len(code)]
    if not code.isascii() or not code.isprintable():
        raise ValidationError(
            _("A barcode holds plain letters, digits and symbols only."), "barcode"
        )
    return code, "CODE128"
