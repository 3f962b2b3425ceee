"""GS1 element strings as scanners deliver them: a symbology identifier first (]C1 GS1-128,
]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]e0 GS1 DataBar) and GS (FNC1) after each variable-length
field that is not last. The strings are the published examples: GTIN 09501101530003 with
lot AB-123 and expiry 140704 is GS1's own (GS1 General Specifications, section 4.15 / GS1
DataMatrix Guideline, figure "(01)09501101530003(17)140704(10)AB-123"); 07032069804988 with
(15)210526(10)0329 is biip's README and test-suite example."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.stock.scanning import parse_scan

GS = "\x1d"


@pytest.mark.parametrize(
    ("text", "gtin", "batch", "expiry", "serial", "quantity"),
    [
        # GS1 DataMatrix Guideline: the healthcare example, lot last so no GS needed
        (
            "]d201095011015300031714070410AB-123",
            "09501101530003",
            "AB-123",
            date(2014, 7, 4),
            "",
            1,
        ),
        # the same as GS1-128 with the lot first: GS ends the lot
        (
            "]C1010950110153000310AB-123" + GS + "17140704",
            "09501101530003",
            "AB-123",
            date(2014, 7, 4),
            "",
            1,
        ),
        # biip: GTIN + best-before (15, not an expiry) + batch
        ("]C1010703206980498815210526100329", "07032069804988", "0329", None, "", 1),
        # GS1 QR: serial then count, GS after the serial
        ("]Q3010950110153000321SN12345" + GS + "3012", "09501101530003", "", None, "SN12345", 12),
        # day 00 = the month's last day (GS1 General Specifications 3.4.6): Feb 2024 -> 29
        ("]C101095011015300031724020010L7", "09501101530003", "L7", date(2024, 2, 29), "", 1),
        # DataMatrix with everything: expiry, lot, serial, count (AI 37 after a trade item 02)
        (
            "]d201095011015300031726010010L1" + GS + "21S1" + GS + "305",
            "09501101530003",
            "L1",
            date(2026, 1, 31),
            "S1",
            5,
        ),
        ("]d202095011015300033712" + GS + "10B2", "09501101530003", "B2", None, "", 12),
        # no symbology identifier (scanner set not to send one), FNC1 as GS
        (
            "010950110153000310X9" + GS + "17251231",
            "09501101530003",
            "X9",
            date(2025, 12, 31),
            "",
            1,
        ),
    ],
)
def test_published_strings_parse_into_the_fields(text, gtin, batch, expiry, serial, quantity):
    scan = parse_scan(text)
    assert scan.kind == "gs1", scan.error
    assert scan.codes[0] == gtin
    assert (scan.batch, scan.expiry, scan.serial, scan.quantity) == (
        batch,
        expiry,
        serial,
        quantity,
    )


def test_databar_net_weight_is_in_grams():
    # ]e0 GS1 DataBar Expanded, the variable-measure example: 3103 = kg with 3 decimals
    scan = parse_scan("]e001095011015300033103001250")
    assert scan.kind == "gs1" and scan.net_weight_g == 1250


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("]C1010950110153000304123", "application identifier (AI) that does not exist"),
        ("]C10109501101530003" + GS + "04ABC", "application identifier (AI) that does not exist"),
        ("]C1010950110153000317241399", "its date is not a real date"),  # month 13
        ("]C1010950110153000317240230", "its date is not a real date"),  # 30 February
        ("01095011015300031710AB", "its date is not a real date"),
        ("]d210AB-123", "no product number"),
    ],
)
def test_unknown_ai_or_bad_date_is_refused_in_words(text, words):
    scan = parse_scan(text)
    assert not scan.ok and words in scan.error
