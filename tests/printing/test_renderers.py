"""Renderers: golden bytes, readable text, and codes read back by an independent decoder."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import ImageOps

from app.admin.emulator import read_escpos, read_zpl
from app.core.errors import PrinterError
from app.printing.documents import printer_test_page, product_label, receipt, shipping_label
from app.printing.escpos import EscposTarget, printable, render_receipt
from app.printing.layout import Label, LabelText, QRCode, Receipt, Row, Text
from app.printing.raster import render_bitmap, render_label_escpos
from app.printing.zpl import render_label
from tests.printing.conftest import COMPANY, PRODUCT, RECEIPT, SHIPMENT, golden
from tests.printing.raster import raster_images


def codes(image) -> list[tuple[str, str]]:
    found = zxingcpp.read_barcodes(ImageOps.expand(image.convert("L"), border=24, fill=255))
    return sorted((str(b.format).replace(" ", "").replace("-", ""), b.text) for b in found)


def _codepages(_profile="default"):
    """ESC t pages as the printer makers number them (see test_codepages.MAKER_PAGES)."""
    from tests.printing.test_codepages import MAKER_PAGES

    return MAKER_PAGES


@pytest.mark.parametrize(("profile", "paper"), [("default", 58), ("default", 80), ("TM-T88V", 80)])
def test_receipt_golden_and_reading(profile, paper):
    data = render_receipt(receipt(COMPANY, RECEIPT, open_drawer=True), EscposTarget(profile, paper))
    assert data == golden(f"receipt-{profile}-{paper}.bin", data)
    text = read_escpos(data, _codepages(profile))
    columns = EscposTarget(profile, paper).columns
    assert "Café Kestrel" in text
    assert "Danke schön! Straße ñ € £" in text
    assert "[QR SO-000123]" in text
    assert text.index("Organic coffee") < text.index("Sea salt") < text.index("TOTAL")
    assert "[CUT]" in text and "[DRAWER]" in text
    for line in text.splitlines():
        assert len(line) <= columns, line  # nothing runs past the paper


def test_receipt_without_native_codes_falls_back_to_images_that_scan():
    data = render_receipt(receipt(COMPANY, RECEIPT), EscposTarget("POS-5890", 58))
    assert b"\x1d(k" not in data  # no native QR command for a printer that lacks it
    decoded = [codes(image) for image in raster_images(data)]
    assert [("QRCode", "SO-000123")] in decoded


def test_test_page_codes_scan_on_a_printer_without_native_codes():
    data = render_receipt(printer_test_page(COMPANY, "Till 1"), EscposTarget("POS-5890", 58))
    decoded = [c for image in raster_images(data) for c in codes(image)]
    assert ("Code128", "KESTREL-TEST") in decoded
    assert ("QRCode", "kestrel:test:Café Kestrel") in decoded


def test_characters_no_code_page_has_get_a_readable_fallback():
    from escpos.printer import Dummy

    printer = Dummy(profile="default")
    assert printable("Łódź ☃ 😀 ǅ", printer, "default") == "Łódź ? ? Dz"
    data = render_receipt(Receipt((Text("Snow ☃ man"),)), EscposTarget("default", 58))
    assert "Snow ? man" in read_escpos(data, _codepages())


def test_long_names_wrap_within_58_mm():
    data = render_receipt(Receipt((Row("x" * 500, "€1.00"),)), EscposTarget("default", 58))
    lines = [ln for ln in read_escpos(data, _codepages()).splitlines() if ln and ln[0] != "["]
    assert all(len(ln) <= 32 for ln in lines)
    assert lines[-1].endswith("€1.00")


@pytest.mark.parametrize("dpi", [203, 300])
def test_zpl_labels_golden(dpi):
    product = render_label(product_label(PRODUCT), dpi)
    shipping = render_label(shipping_label(SHIPMENT), dpi)
    assert product == golden(f"product-{dpi}.zpl", product)
    assert shipping == golden(f"shipping-{dpi}.zpl", shipping)
    width = round(101.6 * dpi / 25.4)
    assert f"^PW{width}".encode() in shipping  # laid out in the printer's own dots
    # subset C for the digit run: >: starts B, >5 switches to C, >6 back to B
    assert b"^BCN" in shipping and b"^FH^FD>:1Z999AA>51012345678>64^FS" in shipping
    assert "1Z999AA10123456784" in read_zpl(shipping).splitlines()
    assert b"^BQN" in shipping and b"MA,SO-000123" in shipping
    fields = read_zpl(shipping)
    assert "Orla Walsh" in fields and "package 1 of 2" in fields


def test_zpl_escapes_control_characters_and_cuts_long_text():
    label = Label(50.8, 25.4, (LabelText(2, 2, "A^B~C_D" + "z" * 500, max_lines=2),))
    data = render_label(label, 203)
    assert b"A_5EB_7EC_5FD" in data
    assert len(data) < 400
    assert read_zpl(data).startswith("A^B~C_D")


def test_label_bitmaps_scan_at_both_resolutions():
    for dpi in (203, 300):
        shipping = render_bitmap(shipping_label(SHIPMENT), dpi)
        assert shipping.size == (round(101.6 * dpi / 25.4), round(152.4 * dpi / 25.4))
        assert codes(shipping) == [("Code128", "1Z999AA10123456784"), ("QRCode", "SO-000123")]
        assert codes(render_bitmap(product_label(PRODUCT), dpi)) == [("EAN13", "4006381333931")]


def test_label_as_escpos_raster_scans():
    data = render_label_escpos(shipping_label(SHIPMENT), 203)
    (image,) = raster_images(data)
    assert ("Code128", "1Z999AA10123456784") in codes(image)


def test_bad_targets():
    with pytest.raises(PrinterError, match="profile"):
        render_receipt(Receipt((Text("x"),)), EscposTarget("no-such-printer", 80))
    with pytest.raises(PrinterError, match="58 or 80"):
        EscposTarget("default", 62).columns  # noqa: B018
    with pytest.raises(PrinterError, match="dpi"):
        render_label(product_label(PRODUCT), 150)


def test_preview_draws_the_receipt_paper_and_pdf_pages():
    from app.printing.documents import Company
    from app.printing.pdf import pdf_test_page
    from app.printing.preview import pdf_pages, receipt_image

    for paper in (58, 80):
        data = render_receipt(receipt(COMPANY, RECEIPT), EscposTarget("default", paper))
        image = receipt_image(data, _codepages(), paper)
        assert image.width == {58: 384, 80: 576}[paper]
        assert ("QRCode", "SO-000123") in codes(image)
    (page,) = pdf_pages(pdf_test_page(Company("Kestrel"), "Office"), dpi=200)
    assert ("Code128", "KESTREL-TEST") in codes(page)


def test_profile_without_raster_images_gets_column_images():
    """The TM-U220 has no GS v 0: images (here the QR fallback) go as ESC * columns."""
    data = render_receipt(Receipt((QRCode("SO-000123"),)), EscposTarget("TM-U220B", 58))
    assert b"\x1b*" in data and b"\x1dv0" not in data
